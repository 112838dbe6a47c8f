/** The report pages' rows: building-local times and the correction note, ready to show. */
import { config } from '../config';
import { localDateTimeIn } from '../../src/lib/contracts/building-time';
import { dateInWordsFrom, localDate, localTime } from '../domain/shared/clock';
import { reportRows, signedInSentence, type DailyReport, type ReportRecord, type ReportRow } from '../domain/attendance/report';
import type { ReportCorrection } from '../domain/attendance/report';

export interface RecordView {
	id: number | null;
	name: string;
	signIn: string;
	signOut: string | null;
	where: string | null;
	corrected: string | null;
}

/** "corrected by Ada at 09:14: forgot to sign out" (with the date when it was not that day). */
export function correctionNote(c: ReportCorrection | null | undefined, day: string): string | null {
	if (!c) return null;
	const when = localDate(c.at) === day ? localTime(c.at) : `${localTime(c.at)} on ${dateInWordsFrom(localDate(c.at))}`;
	return `corrected by ${c.by} at ${when}: ${c.reason}`;
}

/** Sign-out time, with its date when the visit crossed midnight. */
const outTime = (signOutAt: Date | null, day: string) => (signOutAt ? (localDate(signOutAt) === day ? localTime(signOutAt) : `${localTime(signOutAt)} (${dateInWordsFrom(localDate(signOutAt))})`) : null);

const rowView = (day: string) => (row: ReportRow | (ReportRecord & { name?: string })): RecordView => ({
	id: row.id ?? null,
	name: 'firstName' in row ? `${row.firstName} ${row.lastName}` : (row.name ?? ''),
	signIn: localTime(row.signInAt),
	signOut: outTime(row.signOutAt, day) ?? (row.didNotSignOut ? 'did not sign out' : null),
	where: [row.location, row.via].filter(Boolean).join(' · ') || null,
	corrected: correctionNote(row.correction, day),
});

export function dayView(report: DailyReport) {
	const rows = reportRows(report);
	return {
		date: report.date,
		dateInWords: dateInWordsFrom(report.date),
		headline: signedInSentence(report.signedInCount),
		people: report.people.length,
		signedIn: rows.signedIn.map(rowView(report.date)),
		signedOut: rows.signedOut.map(rowView(report.date)),
	};
}

export const historyView = (date: string, records: ReportRecord[]) => ({ date, dateInWords: dateInWordsFrom(date), records: records.map(rowView(date)) });

/** A datetime-local input's value for an instant, building time. */
export const inputValue = (at: Date | null) => (at ? localDateTimeIn(config().buildingTz, at) : '');
