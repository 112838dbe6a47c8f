import type { Actions, PageServerLoad } from './$types';
import { z } from 'zod';
import { getSetting, setSetting } from '$server/domain/shared/settings';
import { formAction, parseForm, readForm } from '$server/web/forms';
import { requireAdmin } from '$server/web/guards';

const settingsForm = z.object({ declaration: z.string({ error: 'The declaration text is missing.' }) });

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals.user, url);
	return { declaration: await getSetting('declaration') };
};

export const actions: Actions = {
	default: async (event) => {
		requireAdmin(event.locals.user, event.url);
		const form = await readForm(event);
		return formAction(async () => {
			const input = parseForm(settingsForm, form, ['declaration']);
			await setSetting('declaration', input.declaration);
			return { saved: true };
		});
	},
};
