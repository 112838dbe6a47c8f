import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { userId } from '$lib/contracts/people';
import { reportRange } from '$lib/contracts/reports';
import { localDate } from '$server/domain/shared/clock';
import { isDomainError } from '$server/domain/shared/errors';
import { personReport } from '$server/domain/attendance/report';
import { requireAdmin } from '$server/web/guards';
import { historyView } from '$server/web/report-view';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireAdmin(locals.user, url);
	const id = userId.safeParse(params.id);
	if (!id.success) error(404, 'No such user.');
	const today = localDate(new Date());
	const monthAgo = localDate(new Date(Date.now() - 30 * 86_400_000));
	const form = { from: url.searchParams.get('from') || monthAgo, to: url.searchParams.get('to') || today };
	const range = reportRange.safeParse(form);
	const { from, to } = range.success ? range.data : { from: monthAgo, to: today };
	const report = await personReport(id.data, from, to).catch((e: unknown) => {
		if (isDomainError(e) && e.code === 'not-found') error(404, e.message);
		throw e;
	});
	return {
		person: report.person,
		form,
		error: range.success ? null : range.error.issues[0]!.message,
		days: report.days.map((d) => historyView(d.date, d.records)),
	};
};
