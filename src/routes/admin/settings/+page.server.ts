import type { Actions, PageServerLoad } from './$types';
import { config } from '$server/config';
import { getSettings, settingKeys, settingsInput, updateSettings } from '$server/domain/shared/settings';
import { adminActor } from '$server/web/admin-actor';
import { formAction, parseForm, readForm } from '$server/web/forms';
import { requireAdmin } from '$server/web/guards';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals.user, url);
	// The zone is read-only: it comes from BUILDING_TZ (see docs/decisions.md, issue 10).
	return { settings: await getSettings(), timeZone: config().buildingTz };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = adminActor(event);
		const form = await readForm(event);
		const echo = Object.fromEntries(settingKeys.map((key) => [key, form.get(key)?.toString() ?? '']));
		return formAction(async () => {
			const input = parseForm(settingsInput, form, settingKeys);
			const changed = await updateSettings(actor, input);
			return { saved: true, changed: changed.length };
		}, { values: echo });
	},
};
