/**
 * The app's OpenID Connect client for Entra ID (or the local stand-in in
 * tests), shared by Microsoft login and Graph sendMail. Discovery runs once
 * per authority and client; a failed discovery is forgotten so the next
 * request tries again.
 */
import * as oidc from 'openid-client';
import type { MicrosoftConfig } from '../../config';
import { logger } from '../../logger';
import { DomainError } from '../../domain/shared/errors';

/** Seconds each request to the identity provider may take before it counts as unreachable. */
const PROVIDER_TIMEOUT_S = 10;

const discovered = new Map<string, Promise<oidc.Configuration>>();

/** Plain HTTP only for a provider on this machine (the test stand-in), never for a real one. */
export function isLoopbackHttp(authority: string): boolean {
	const url = new URL(authority);
	return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

export function microsoftClient(settings: MicrosoftConfig): Promise<oidc.Configuration> {
	const key = JSON.stringify([settings.authority, settings.clientId, settings.clientSecret]);
	let pending = discovered.get(key);
	if (!pending) {
		pending = oidc.discovery(new URL(settings.authority), settings.clientId, settings.clientSecret, undefined, {
			execute: isLoopbackHttp(settings.authority) ? [oidc.allowInsecureRequests] : [],
			timeout: PROVIDER_TIMEOUT_S,
		});
		discovered.set(key, pending);
		pending.catch(() => discovered.delete(key));
	}
	return pending.catch((error: unknown) => {
		throw providerFailure(error, 'discovery');
	});
}

/** True for failures of the network itself: refused, reset, timed out. */
export function isNetworkFailure(error: unknown): boolean {
	if (error instanceof DOMException) return error.name === 'TimeoutError' || error.name === 'AbortError';
	return error instanceof TypeError && /fetch failed|network|ECONN|socket/i.test(`${error.message} ${String(error.cause ?? '')}`);
}

/** A provider problem that is not the person's fault becomes 'unavailable' (503), logged with its cause. */
export function providerFailure(error: unknown, stage: string): DomainError {
	if (error instanceof DomainError) return error;
	logger().warn({ err: error, stage }, 'Microsoft identity provider request failed');
	return new DomainError('unavailable', 'Microsoft sign-in is not reachable right now: please try again in a few minutes.');
}
