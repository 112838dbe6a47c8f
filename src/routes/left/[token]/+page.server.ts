import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { recordForLeftLink, recordLeftAt } from '$server/domain/attendance/did-not-sign-out';
import { dateInWordsFrom, localTime } from '$server/domain/shared/clock';
import { isDomainError } from '$server/domain/shared/errors';
import { formAction, parseForm, readForm } from '$server/web/forms';
import { auditFrom } from '$server/web/request';

const leftForm = z.object({
	leftAt: z.string({ error: 'Say when you left.' }).trim().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Say when you left, as a date and time.'),
});

/**
 * The "I left at…" link sent the morning after a record was left open. The
 * signed link is the permission (one record, one purpose, a week); opening
 * it changes nothing, the form's POST records the correction.
 */
export const load: PageServerLoad = async ({ params }) => {
	try {
		const record = await recordForLeftLink(params.token);
		return { open: true as const, date: dateInWordsFrom(record.date), signedIn: localTime(record.signInAt), min: record.signInLocal, suggested: `${record.date}T17:00` > record.signInLocal ? `${record.date}T17:00` : '' };
	} catch (caught) {
		if (!isDomainError(caught)) throw caught;
		if (caught.code === 'conflict') return { open: false as const, message: caught.message };
		error(404, caught.message);
	}
};

export const actions: Actions = {
	default: async (event) => {
		const form = await readForm(event);
		const { ip, userAgent } = auditFrom(event);
		return formAction(
			async () => {
				const { leftAt } = parseForm(leftForm, form, ['leftAt']);
				const result = await recordLeftAt(event.params.token, leftAt, { ip, userAgent });
				return { saved: result.after.signOutAt ? localTime(new Date(result.after.signOutAt)) : '' };
			},
			{ leftAt: form.get('leftAt')?.toString() ?? '' },
		);
	},
};
