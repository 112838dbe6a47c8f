import type { Actions, PageServerLoad } from './$types';
import { locationInput, locationUpdate, positiveId } from '$lib/contracts/kiosk';
import { createLocation, deleteLocation, listLocations, updateLocation } from '$server/domain/kiosk/locations';
import { adminActor } from '$server/web/admin-actor';
import { field, formAction, parseForm, readForm } from '$server/web/forms';
import { requireAdmin } from '$server/web/guards';
import { z } from 'zod';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals.user, url);
	return { locations: await listLocations() };
};

const fields = ['name', 'slug', 'requiresPresence'] as const;

export const actions: Actions = {
	create: async (event) => {
		const actor = adminActor(event);
		const form = await readForm(event);
		return formAction(
			async () => ({ section: 'create' as const, created: (await createLocation(parseForm(locationInput, form, fields), actor)).name }),
			{ section: 'create', name: field(form, 'name') ?? '', slug: field(form, 'slug') ?? '' },
		);
	},
	update: async (event) => {
		const actor = adminActor(event);
		const form = await readForm(event);
		return formAction(async () => {
			const input = parseForm(locationUpdate, form, ['id', ...fields]);
			return { section: 'list' as const, saved: (await updateLocation(input.id, input, actor)).name };
		}, { section: 'list' });
	},
	delete: async (event) => {
		const actor = adminActor(event);
		const form = await readForm(event);
		return formAction(async () => {
			const { id } = parseForm(z.object({ id: positiveId }), form, ['id']);
			await deleteLocation(id, actor);
			return { section: 'list' as const, deleted: true };
		}, { section: 'list' });
	},
};
