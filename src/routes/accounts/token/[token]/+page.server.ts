import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { logInWithLink } from '$server/domain/identity/login-links';
import { userForLoginToken } from '$server/domain/identity/login-tokens';
import { SESSION_TTL_MS } from '$server/domain/identity/sessions';
import { readForm } from '$server/web/forms';
import { auditFrom, setSessionCookie } from '$server/web/request';

const notValid = 'This login link is not valid any more: ask for a new one.';

/**
 * Opening a personal login link (the original's `/accounts/token/<token>`) only
 * asks; the login itself is a POST, so another site cannot log a browser into
 * someone else's account by making it load the link.
 */
export const load: PageServerLoad = async ({ params }) => {
	const user = await userForLoginToken(params.token);
	if (!user) error(404, notValid);
	return { firstName: user.firstName, lastName: user.lastName };
};

export const actions: Actions = {
	default: async (event) => {
		await readForm(event);
		const login = await logInWithLink(event.params.token, auditFrom(event), event.locals.sessionToken);
		if (!login) error(404, notValid);
		setSessionCookie(event.cookies, event.url, login.sessionToken, new Date(Date.now() + SESSION_TTL_MS));
		redirect(303, '/');
	},
};
