import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { correctionForm, recordId } from '$lib/contracts/reports';
import { correctRecord, recordToCorrect } from '$server/domain/attendance/corrections';
import { isDomainError } from '$server/domain/shared/errors';
import { dateInWordsFrom, localTime } from '$server/domain/shared/clock';
import { adminActor } from '$server/web/admin-actor';
import { field, formAction, parseForm, readForm } from '$server/web/forms';
import { requireAdmin } from '$server/web/guards';
import { inputValue } from '$server/web/report-view';

function idOf(params: { id: string }): number {
	const parsed = recordId.safeParse(params.id);
	if (!parsed.success) error(404, 'No such record.');
	return parsed.data;
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireAdmin(locals.user, url);
	const record = await recordToCorrect(idOf(params)).catch((e: unknown) => {
		if (isDomainError(e) && e.code === 'not-found') error(404, e.message);
		throw e;
	});
	return {
		record: {
			...record,
			dateInWords: dateInWordsFrom(record.date),
			signIn: localTime(record.signInAt),
			signOut: record.signOutAt ? localTime(record.signOutAt) : null,
			signInValue: inputValue(record.signInAt),
			signOutValue: inputValue(record.signOutAt),
		},
	};
};

export const actions: Actions = {
	default: async (event) => {
		const actor = adminActor(event);
		const id = idOf(event.params);
		const form = await readForm(event);
		const echo = { signIn: field(form, 'signIn') ?? '', signOut: field(form, 'signOut') ?? '', reason: field(form, 'reason') ?? '' };
		const result = await formAction(async () => {
			const input = parseForm(correctionForm, form, ['signIn', 'signOut', 'reason']);
			return correctRecord(actor, { ...input, recordId: id });
		}, echo);
		if ('date' in result) redirect(303, `/admin/reports?date=${result.date}&corrected=1`);
		return result;
	},
};
