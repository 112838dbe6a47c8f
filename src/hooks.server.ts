import type { Handle, HandleServerError, RequestEvent, ServerInit } from '@sveltejs/kit';
import { toSessionUser } from '$server/api/context';
import { config } from '$server/config';
import { prepareDatabase } from '$server/db/database';
import { isDatabaseOutage, outageMessage, RETRY_AFTER_S } from '$server/db/outage';
import { userForAuthorization } from '$server/domain/identity/login-links';
import { findSession } from '$server/domain/identity/sessions';
import { logger } from '$server/logger';
import { loginPathFor } from '$server/web/guards';
import { SESSION_COOKIE, setSessionCookie } from '$server/web/request';
import { announceStart } from '$server/web/startup';
import { startEvents } from '$server/web/event-wiring';
import { startScheduler } from '$server/jobs/start-scheduler';

export const init: ServerInit = async () => {
	try {
		const applied = await prepareDatabase();
		if (applied.length) logger().info({ migrations: applied }, 'applied migrations');
	} catch (error) {
		// One clear line instead of a stack trace: the usual causes are a wrong URL or a stopped server.
		console.error(`Building Register cannot start: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	}
	await startEvents();
	startScheduler();
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

/** SvelteKit throws a plain Error (a 500) for a POST naming its reserved action `?/default`. */
function reservedActionPost(request: Request, url: URL): boolean {
	if (request.method !== 'POST') return false;
	const action = [...url.searchParams.keys()].find((key) => key.startsWith('/'));
	return action === '/default';
}

/** Every /admin page and its data requests (SvelteKit strips `__data.json` from `event.url`). */
const isAdminPath = (pathname: string) => pathname === '/admin' || pathname.startsWith('/admin/');

const plainAnswer = (status: number, message: string, headers: Record<string, string> = {}) =>
	new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });

/** Requests whose 500 came from a database outage (set by handleError, read by handle). */
const outages = new WeakSet<Request>();

export const handle: Handle = async ({ event, resolve }) => {
	let response: Response;
	try {
		response = await answer(event, resolve);
	} catch (error) {
		if (!isDatabaseOutage(error)) throw error;
		logger().warn({ err: error, path: event.url.pathname }, 'database unavailable');
		response = plainAnswer(503, outageMessage);
	}
	if (response.status === 500 && outages.has(event.request)) {
		response = new Response(response.body, { status: 503, statusText: 'Service Unavailable', headers: response.headers });
	}
	if (response.status === 503 && !response.headers.has('retry-after')) response.headers.set('retry-after', String(RETRY_AFTER_S));
	for (const [name, value] of Object.entries(securityHeaders)) response.headers.set(name, value);
	if (config().origin?.startsWith('https:')) response.headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
	return response;
};

async function answer(event: RequestEvent, resolve: Parameters<Handle>[0]['resolve']): Promise<Response> {
	if (reservedActionPost(event.request, event.url)) return plainAnswer(400, 'There is no form action called "default".');
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
	// Defence in depth: every admin page checks too, but a new one cannot forget to.
	if (isAdminPath(event.url.pathname) && event.locals.user?.role !== 'admin') {
		if (event.locals.user) return plainAnswer(403, 'Only admins can see this page.');
		return new Response(null, { status: 303, headers: { location: loginPathFor(event.url) } });
	}

	return resolve(event);
}

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (isDatabaseOutage(error)) {
		outages.add(event.request);
		logger().warn({ err: error, path: event.url.pathname }, 'database unavailable');
		return { message: outageMessage };
	}
	if (status >= 500) logger().error({ err: error, path: event.url.pathname }, 'unhandled error');
	// Never the error's own text: it can carry SQL, file paths or a stack.
	return { message: status === 404 ? 'Not found' : 'Something went wrong on our side. Please try again.' };
};

