import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { markSafe, safeLinkTarget } from '$server/domain/notifications/broadcast';
import { localTime } from '$server/domain/shared/clock';
import { formAction } from '$server/web/forms';

/** No login: the signed link is the person's proof. Opening it only asks; the button records the reply (link scanners open links too). */
export const load: PageServerLoad = async ({ params }) => {
	const target = await safeLinkTarget(params.token);
	if (!target) error(404, 'This link is not valid. If you are in the building, tell a fire marshal you are safe.');
	return { firstName: target.firstName, message: target.message, safeAt: target.safeAt ? localTime(target.safeAt) : null };
};

export const actions: Actions = {
	default: async ({ params }) =>
		formAction(async () => {
			const reply = await markSafe(params.token);
			return { safeAt: localTime(reply.safeAt) };
		}),
};
