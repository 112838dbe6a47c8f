import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { toSessionUser } from '$server/api/context';
import { prepareDatabase } from '$server/db/database';
import { userForAuthorization } from '$server/domain/identity/login-links';
import { findSession } from '$server/domain/identity/sessions';
import { logger } from '$server/logger';
import { SESSION_COOKIE, setSessionCookie } from '$server/web/request';
import { announceStart } from '$server/web/startup';

export const init: ServerInit = async () => {
	try {
		const applied = await prepareDatabase();
		if (applied.length) logger().info({ migrations: applied }, 'applied migrations');
	} catch (error) {
		// One clear line instead of a stack trace: the usual causes are a wrong URL or a stopped server.
		console.error(`Building Register cannot start: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	}
	announceStart();
};

const securityHeaders: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY',
	'permissions-policy': 'camera=(self), microphone=(), geolocation=()',
};

/** tRPC mutations are JSON posts, which SvelteKit's form origin check does not cover. */
function crossSiteApiPost(request: Request, url: URL): boolean {
	if (request.method !== 'POST' || !url.pathname.startsWith('/api/trpc')) return false;
	const origin = request.headers.get('origin');
	const json = request.headers.get('content-type')?.startsWith('application/json') ?? false;
	return !json || (origin !== null && origin !== url.origin);
}

export const handle: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE) ?? null;
	const session = token ? await findSession(token) : null;
	event.locals.user = session ? toSessionUser(session.user) : null;
	event.locals.sessionToken = session ? token : null;
	if (!session) {
		// API clients may send a personal login link as `Authorization: LLToken <token>`.
		const linkUser = await userForAuthorization(event.request.headers.get('authorization'));
		if (linkUser) event.locals.user = toSessionUser(linkUser);
	}
	if (session?.rolled && token) setSessionCookie(event.cookies, event.url, token, session.expiresAt);

	if (crossSiteApiPost(event.request, event.url)) {
		return new Response(JSON.stringify({ error: 'Cross-site API requests are not allowed.' }), {
			status: 403,
			headers: { 'content-type': 'application/json' },
		});
	}

	const response = await resolve(event);
	for (const [name, value] of Object.entries(securityHeaders)) response.headers.set(name, value);
	return response;
};

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status >= 500) logger().error({ err: error, path: event.url.pathname }, 'unhandled error');
	return { message: status === 404 ? 'Not found' : 'Something went wrong on our side. Please try again.' };
};

