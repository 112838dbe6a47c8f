/** The Microsoft login's flow cookie (state, nonce, PKCE verifier) and where its failures are shown. */
import type { Cookies } from '@sveltejs/kit';
import { FLOW_TTL_S, MicrosoftLoginFailure, type MicrosoftLoginFailureReason } from '../domain/identity/microsoft-login';
import { DomainError } from '../domain/shared/errors';

const FLOW_COOKIE = 'register_microsoft_flow';
// Only the callback reads it; Lax lets it ride along on Microsoft's top-level redirect back.
const cookieOptions = (url: URL) => ({ path: '/login/microsoft', httpOnly: true, sameSite: 'lax' as const, secure: url.protocol === 'https:' });

export const callbackUrl = (url: URL): string => `${url.origin}/login/microsoft/callback`;

export function keepFlow(cookies: Cookies, url: URL, flow: string): void {
	cookies.set(FLOW_COOKIE, flow, { ...cookieOptions(url), maxAge: FLOW_TTL_S });
}

export function takeFlow(cookies: Cookies, url: URL): string | undefined {
	const flow = cookies.get(FLOW_COOKIE);
	if (flow !== undefined) cookies.delete(FLOW_COOKIE, cookieOptions(url));
	return flow;
}

/** The failure page for a refusal; anything that is not a DomainError is a bug and propagates. */
export function failurePage(error: unknown, next: string): string {
	if (!(error instanceof DomainError)) throw error;
	const reason: MicrosoftLoginFailureReason = error instanceof MicrosoftLoginFailure ? error.reason : error.code === 'unavailable' ? 'unavailable' : 'invalid';
	const query = new URLSearchParams({ reason });
	if (next !== '/') query.set('next', next);
	return `/login/microsoft/failed?${query}`;
}
