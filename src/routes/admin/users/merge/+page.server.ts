import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { mergeInput } from '$lib/contracts/people';
import { dateInWordsFrom, localDate } from '$server/domain/shared/clock';
import { mergePreview, mergeUsers } from '$server/domain/people/people-merge';
import { formAction, readForm } from '$server/web/forms';
import { requireAdmin } from '$server/web/guards';
import { adminActor } from '$server/web/admin-actor';
import { DomainError } from '$server/domain/shared/errors';

function chosenIds(values: unknown[]): number[] {
	const parsed = mergeInput.safeParse({ userIds: values });
	if (!parsed.success) throw new DomainError('invalid-input', parsed.error.issues[0]!.message, 'userIds');
	return parsed.data.userIds;
}

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals.user, url);
	try {
		const accounts = await mergePreview(chosenIds(url.searchParams.getAll('id')));
		return { problem: null, accounts: accounts.map((a) => ({ ...a, since: dateInWordsFrom(localDate(a.createdAt)) })) };
	} catch (error) {
		if (error instanceof DomainError) return { problem: error.message, accounts: [] };
		throw error;
	}
};

export const actions: Actions = {
	default: async (event) => {
		const actor = adminActor(event);
		const form = await readForm(event);
		const result = await formAction(() => mergeUsers(actor, chosenIds(form.getAll('id'))));
		if ('kept' in result) redirect(303, `/admin/people/${result.kept.id}?merged=${result.mergedIds.length}`);
		return result;
	},
};
