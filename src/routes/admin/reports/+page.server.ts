import type { PageServerLoad } from './$types';
import { calendarDate, reportRange } from '$lib/contracts/reports';
import { localDate } from '$server/domain/shared/clock';
import { rangeReport } from '$server/domain/attendance/report';
import { requireAdmin } from '$server/web/guards';
import { dayView } from '$server/web/report-view';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals.user, url);
	const today = localDate(new Date());
	const q = (name: string) => url.searchParams.get(name)?.trim() || undefined;
	const isRange = q('from') !== undefined || q('to') !== undefined;
	const parsed = isRange ? reportRange.safeParse({ from: q('from'), to: q('to') }) : calendarDate('The date').safeParse(q('date') ?? today);
	const form = { date: q('date') ?? today, from: q('from') ?? today, to: q('to') ?? today };
	if (!parsed.success) return { today, isRange, form, error: parsed.error.issues[0]!.message, corrected: false, days: [] };
	const [from, to] = typeof parsed.data === 'string' ? [parsed.data, parsed.data] : [parsed.data.from, parsed.data.to];
	const days = await rangeReport(from, to);
	return { today, isRange, form, error: null, corrected: url.searchParams.has('corrected'), days: days.map(dayView) };
};
