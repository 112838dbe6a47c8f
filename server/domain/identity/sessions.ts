/**
 * Browser sessions: a 256-bit random id in the cookie, only its SHA-256 in the
 * database, a one-year expiry that rolls forward as the session is used.
 */
import { Op } from 'sequelize';
import { database } from '../../db/database';
import { Session } from '../../db/models/people.model';
import { sessionByHash, type SessionRow } from '../../db/queries/session.query';
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
	user: SessionRow['user'];
	expiresAt: Date;
	/** True when this request moved the expiry forward (the cookie should follow). */
	rolled: boolean;
}

/** The session a token opens, or null when unknown or expired. */
export async function findSession(token: string, at = new Date()): Promise<LiveSession | null> {
	if (!token || token.length > 128) return null;
	// One statement for the session and its person: this runs on every request.
	const idHash = sha256(token);
	const session = await sessionByHash(database(), idHash);
	if (!session) return null;
	if (session.expiresAt.getTime() <= at.getTime()) {
		await Session.destroy({ where: { idHash } });
		return null;
	}
	const rolled = at.getTime() - session.lastSeenAt.getTime() > ROLL_EVERY_MS;
	if (!rolled) return { user: session.user, expiresAt: session.expiresAt, rolled };
	const expiresAt = new Date(at.getTime() + SESSION_TTL_MS);
	await Session.update({ lastSeenAt: at, expiresAt }, { where: { idHash } });
	return { user: session.user, expiresAt, rolled };
}

export async function endSession(token: string): Promise<void> {
	await Session.destroy({ where: { idHash: sha256(token) } });
}


export interface SessionView {
	userAgent: string | null;
	createdAt: Date;
	lastSeenAt: Date;
	expiresAt: Date;
	/** The session of the device asking. */
	current: boolean;
}

/** A person's live sessions, newest first; hashes stay in the database. */
export async function listSessions(userId: number, currentToken: string | null = null, at = new Date()): Promise<SessionView[]> {
	const currentHash = currentToken ? sha256(currentToken) : null;
	const rows = await Session.findAll({
		where: { userId, expiresAt: { [Op.gt]: at } },
		order: [['lastSeenAt', 'DESC'], ['createdAt', 'DESC']],
	});
	return rows.map((s) => ({
		userAgent: s.userAgent,
		createdAt: s.createdAt,
		lastSeenAt: s.lastSeenAt,
		expiresAt: s.expiresAt,
		current: s.idHash === currentHash,
	}));
}

/** "Sign out other devices": ends every session of the person but the one asking (all of them without one). */
export async function endOtherSessions(userId: number, keepToken: string | null): Promise<number> {
	const where = keepToken ? { userId, idHash: { [Op.ne]: sha256(keepToken) } } : { userId };
	return Session.destroy({ where });
}
