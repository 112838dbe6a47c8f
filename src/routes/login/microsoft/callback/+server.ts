import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { finishMicrosoftLogin } from '$server/domain/identity/microsoft-login';
import { safeNext } from '$server/web/guards';
import { failurePage, takeFlow } from '$server/web/microsoft-flow';
import { auditFrom, setSessionCookie } from '$server/web/request';
import { SESSION_TTL_MS } from '$server/domain/identity/sessions';

/** Microsoft sends the browser back here with a code (or an error). */
export const GET: RequestHandler = async (event) => {
	const flow = takeFlow(event.cookies, event.url);
	let location: string;
	try {
		const done = await finishMicrosoftLogin({ callbackUrl: event.url, flow, audit: auditFrom(event) });
		setSessionCookie(event.cookies, event.url, done.sessionToken, new Date(Date.now() + SESSION_TTL_MS));
		location = safeNext(done.next, event.url.origin);
	} catch (error) {
		location = failurePage(error, '/');
	}
	redirect(303, location);
};
