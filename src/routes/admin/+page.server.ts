import type { PageServerLoad } from './$types';
import { dateInWordsFrom, localDate, localTime } from '$server/domain/shared/clock';
import { dailyReport, reportRows, type ReportRow } from '$server/domain/attendance/report';
import { liveFeed } from '$server/web/event-wiring';
import { requireAdmin } from '$server/web/guards';

const view = (row: ReportRow) => ({
	name: `${row.firstName} ${row.lastName}`,
	signIn: localTime(row.signInAt),
	signOut: row.signOutAt ? localTime(row.signOutAt) : null,
	where: [row.location, row.via].filter(Boolean).join(' · ') || null,
});

export const load: PageServerLoad = async ({ locals, url, depends }) => {
	requireAdmin(locals.user, url);
	depends('admin:day-table');
	const date = localDate(new Date());
	const [now, report] = await Promise.all([liveFeed().snapshot(), dailyReport(date)]);
	const rows = reportRows(report);
	return {
		now,
		date: report.date,
		dateInWords: dateInWordsFrom(report.date),
		signedIn: rows.signedIn.map(view),
		signedOut: rows.signedOut.map(view),
	};
};
