import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { startMicrosoftLogin } from '$server/domain/identity/microsoft-login';
import { safeNext } from '$server/web/guards';
import { callbackUrl, failurePage, keepFlow } from '$server/web/microsoft-flow';

/** Sends the browser to Microsoft; a plain endpoint, so the client router never preloads it. */
export const GET: RequestHandler = async ({ url, cookies }) => {
	const next = safeNext(url.searchParams.get('next'), url.origin);
	let location: string;
	try {
		const started = await startMicrosoftLogin({ redirectUri: callbackUrl(url), next });
		keepFlow(cookies, url, started.flow);
		location = started.authorizationUrl;
	} catch (error) {
		location = failurePage(error, next);
	}
	redirect(303, location);
};
