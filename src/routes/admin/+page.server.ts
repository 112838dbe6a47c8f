import type { PageServerLoad } from './$types';
import { dateInWordsFrom, localDate, localTime } from '$server/domain/shared/clock';
import { dailyReport, reportRows, signedInSentence, type ReportRow } from '$server/domain/attendance/report';
import { requireAdmin } from '$server/web/guards';

const view = (row: ReportRow) => ({
	name: `${row.firstName} ${row.lastName}`,
	signIn: localTime(row.signInAt),
	signOut: row.signOutAt ? localTime(row.signOutAt) : null,
	where: [row.location, row.via].filter(Boolean).join(' · ') || null,
});

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals.user, url);
	const report = await dailyReport(localDate(new Date()));
	const rows = reportRows(report);
	return {
		date: report.date,
		dateInWords: dateInWordsFrom(report.date),
		headline: signedInSentence(report.signedInCount),
		signedIn: rows.signedIn.map(view),
		signedOut: rows.signedOut.map(view),
	};
};
