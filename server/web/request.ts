/** What the SvelteKit edges take from a request: the audit facts and the session cookie. */
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import type { AuditInput } from '../domain/shared/audit';
import type { AuditSource } from '../db/models/attendance.model';

export const SESSION_COOKIE = 'register_session';
/** A paired kiosk's credential (issue 9): never a user session. */
export const KIOSK_COOKIE = 'kiosk';
/** Browsers cap a cookie's life at 400 days; the kiosk renews it with `kiosk.resume`. */
const KIOSK_COOKIE_MS = 400 * 24 * 3_600_000;

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

export function setKioskCookie(cookies: Cookies, url: URL, credential: string, now = new Date()): void {
	cookies.set(KIOSK_COOKIE, credential, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		expires: new Date(now.getTime() + KIOSK_COOKIE_MS),
	});
}
