import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { endSession } from '$server/domain/identity/sessions';
import { clearSessionCookie } from '$server/web/request';

export const load: PageServerLoad = ({ locals }) => ({ userId: locals.user?.id ?? null });

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		if (locals.sessionToken) await endSession(locals.sessionToken);
		clearSessionCookie(cookies);
		redirect(303, '/login');
	},
};
