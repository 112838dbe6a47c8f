import type { Actions, PageServerLoad } from './$types';
import { localTime } from '$server/domain/shared/clock';
import { readSafeLink, reportSafe } from '$server/domain/rollcall/self-report';
import { formAction, readForm } from '$server/web/forms';
import { DomainError } from '$server/domain/shared/errors';

/** The "Are you safe?" link: no login (the link is the credential); opening it changes nothing. */
export const load: PageServerLoad = async ({ params }) => {
	try {
		const { rollCall, person } = await readSafeLink(params.token);
		return { valid: true as const, firstName: person.firstName, drill: Boolean(rollCall.drill), ended: rollCall.endedAt !== null, startedTime: localTime(rollCall.startedAt) };
	} catch (error) {
		if (error instanceof DomainError) return { valid: false as const, message: error.message };
		throw error;
	}
};

export const actions: Actions = {
	default: async (event) => {
		await readForm(event);
		return formAction(async () => {
			const marked = await reportSafe(event.params.token);
			return { marked: true, time: localTime(marked.at) };
		});
	},
};
