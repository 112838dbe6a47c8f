import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { logInWithLink } from '$server/domain/identity/login-links';
import { SESSION_TTL_MS } from '$server/domain/identity/sessions';
import { auditFrom, setSessionCookie } from '$server/web/request';

/** Opening a personal login link logs this device in (the original's `/accounts/token/<token>`). */
export const load: PageServerLoad = async (event) => {
	const login = await logInWithLink(event.params.token, auditFrom(event), event.locals.sessionToken);
	if (!login) error(404, 'This login link is not valid any more: ask for a new one.');
	setSessionCookie(event.cookies, event.url, login.sessionToken, new Date(Date.now() + SESSION_TTL_MS));
	redirect(303, '/');
};
