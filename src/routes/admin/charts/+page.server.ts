import type { PageServerLoad } from './$types';
import { chartsQuery, DEFAULT_CHART_WEEKS } from '$lib/contracts/reports';
import { localDate } from '$server/domain/shared/clock';
import { charts } from '$server/domain/reports/charts';
import { requireAdmin } from '$server/web/guards';
import { chartsView } from '$server/web/charts-view';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals.user, url);
	const now = new Date();
	const today = localDate(now);
	const form = { date: url.searchParams.get('date')?.trim() || today, weeks: url.searchParams.get('weeks')?.trim() || String(DEFAULT_CHART_WEEKS) };
	const parsed = chartsQuery.safeParse(form);
	const { date, weeks } = parsed.success ? parsed.data : { date: today, weeks: DEFAULT_CHART_WEEKS };
	return {
		today,
		form,
		error: parsed.success ? null : parsed.error.issues[0]!.message,
		charts: chartsView(await charts(date, weeks, now), today.slice(0, 4)),
	};
};
