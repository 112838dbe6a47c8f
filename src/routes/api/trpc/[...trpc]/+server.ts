import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { createContextInner } from '$server/api/context';
import { retryAfterOnUnavailable } from '$server/api/errors';
import { appRouter } from '$server/api/router';
import { logger } from '$server/logger';
import { auditFrom, KIOSK_COOKIE, setKioskCookie } from '$server/web/request';

const handler: RequestHandler = (event) =>
	fetchRequestHandler({
		endpoint: '/api/trpc',
		req: event.request,
		router: appRouter,
		createContext: () =>
			createContextInner({
				user: event.locals.user,
				request: auditFrom(event, 'web'),
				sessionToken: event.locals.sessionToken,
				kioskCredential: event.cookies.get(KIOSK_COOKIE) ?? null,
				setKioskCookie: (credential) => setKioskCookie(event.cookies, event.url, credential),
			}),
		responseMeta: retryAfterOnUnavailable,
		onError({ error, path }) {
			if (error.code === 'INTERNAL_SERVER_ERROR') logger().error({ err: error, path }, 'tRPC procedure failed');
		},
	});

export const GET = handler;
export const POST = handler;
