/**
 * Browser sessions: a 256-bit random id in the cookie, only its SHA-256 in the
 * database, a one-year expiry that rolls forward as the session is used.
 */
import { Op } from 'sequelize';
import { Session, User } from '../db/models/people.model';
import { newToken, sha256 } from './secrets';

export const SESSION_TTL_MS = 365 * 24 * 60 * 60 * 1000;
/** Rolling the expiry on every request would write on every page view; once an hour is plenty. */
const ROLL_EVERY_MS = 60 * 60 * 1000;

export async function startSession(userId: number, userAgent: string | null, at = new Date()): Promise<string> {
	const token = newToken();
	await Session.create({
		idHash: sha256(token),
		userId,
		lastSeenAt: at,
		expiresAt: new Date(at.getTime() + SESSION_TTL_MS),
		userAgent: userAgent?.slice(0, 512) ?? null,
	});
	return token;
}

export interface LiveSession {
	user: User;
	expiresAt: Date;
	/** True when this request moved the expiry forward (the cookie should follow). */
	rolled: boolean;
}

/** The session a token opens, or null when unknown or expired. */
export async function findSession(token: string, at = new Date()): Promise<LiveSession | null> {
	if (!token || token.length > 128) return null;
	const session = await Session.findByPk(sha256(token));
	if (!session) return null;
	if (session.expiresAt.getTime() <= at.getTime()) {
		await session.destroy();
		return null;
	}
	const user = await User.findByPk(session.userId);
	if (!user) return null;
	const rolled = at.getTime() - session.lastSeenAt.getTime() > ROLL_EVERY_MS;
	if (rolled) await session.update({ lastSeenAt: at, expiresAt: new Date(at.getTime() + SESSION_TTL_MS) });
	return { user, expiresAt: session.expiresAt, rolled };
}

export async function endSession(token: string): Promise<void> {
	await Session.destroy({ where: { idHash: sha256(token) } });
}

export async function endExpiredSessions(at = new Date()): Promise<number> {
	return Session.destroy({ where: { expiresAt: { [Op.lte]: at } } });
}
