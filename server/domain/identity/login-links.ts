/**
 * Using a personal login link: opening `/accounts/token/<token>` logs that
 * device in; API clients send the same token as `Authorization: LLToken <token>`.
 */
import { AuditRecord } from '../../db/models/attendance.model';
import type { User } from '../../db/models/people.model';
import type { AuditInput } from '../shared/audit';
import { userForLoginToken } from './login-tokens';
import { endSession, startSession } from './sessions';

export const loginLinkPath = (token: string): string => `/accounts/token/${token}`;

/** The token of an `LLToken <token>` Authorization header (scheme case-insensitive), or null. */
export function tokenFromAuthorization(header: string | null | undefined): string | null {
	const match = /^LLToken +(\S+)\s*$/i.exec(header ?? '');
	return match?.[1] ?? null;
}

/** The person an API request's LLToken header names, or null (no header, another scheme, unknown token). */
export async function userForAuthorization(header: string | null | undefined): Promise<User | null> {
	const token = tokenFromAuthorization(header);
	return token ? userForLoginToken(token) : null;
}

export interface LinkLogin {
	user: User;
	sessionToken: string;
}

/**
 * Logs a device in with a personal link and stamps an audit record; null for an
 * unknown or revoked link, which changes nothing. The device's previous session
 * (perhaps someone else's) ends, as with any new login.
 */
export async function logInWithLink(token: string, audit: AuditInput, previousSession: string | null, at = new Date()): Promise<LinkLogin | null> {
	const user = await userForLoginToken(token);
	if (!user) return null;
	await AuditRecord.create({
		at,
		ip: audit.ip?.slice(0, 64) ?? null,
		userAgent: audit.userAgent?.slice(0, 512) ?? null,
		source: audit.source,
		deviceId: null,
		action: 'login-link-used',
		subjectId: user.id,
	});
	if (previousSession) await endSession(previousSession);
	const sessionToken = await startSession(user.id, audit.userAgent, at);
	return { user, sessionToken };
}
