/** What the SvelteKit edges take from a request: the audit facts and the session cookie. */
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import type { AuditInput } from '../domain/shared/audit';
import type { AuditSource } from '../db/models/attendance.model';

export const SESSION_COOKIE = 'register_session';

export function auditFrom(event: RequestEvent, source: AuditSource = 'web'): AuditInput {
	let ip: string | null = null;
	try {
		ip = event.getClientAddress();
	} catch {
		ip = null; // not every adapter (or test) knows the client address
	}
	return { ip, userAgent: event.request.headers.get('user-agent'), source };
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expires: Date): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		expires,
	});
}

export function clearSessionCookie(cookies: Cookies): void {
	cookies.delete(SESSION_COOKIE, { path: '/' });
}
