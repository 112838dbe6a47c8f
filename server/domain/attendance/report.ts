/** The day's attendance report: who came, when, and who is still in. */
import { database } from '../../db/database';
import { ContactDetail, User } from '../../db/models/people.model';
import type { AuditSource } from '../../db/models/attendance.model';
import { reportRecordRows, type ReportRecordRow } from '../../db/queries/report-records.query';
import { countOf } from '../../../src/lib/contracts/building-time';
import { DomainError } from '../shared/errors';

/** Who corrected a record, when, and why: "corrected by Ada at 09:14: forgot to sign out". */
export interface ReportCorrection {
	by: string;
	at: Date;
	reason: string;
}

export interface ReportRecord {
	/** The stored record's id, which a correction names. */
	id?: number;
	signInAt: Date;
	signOutAt: Date | null;
	/** Where the record began, when known (issue 9). */
	location?: string | null;
	/** How it began: a kiosk, a poster, a phone, ... */
	via?: ReportVia | null;
	/** The last admin correction of this record, if any. */
	correction?: ReportCorrection | null;
	/** Still open, and flagged "did not sign out" by the end-of-day job (issue 11). */
	didNotSignOut?: boolean;
}

export type ReportVia = 'kiosk' | 'poster' | 'phone' | 'admin' | 'app';

/** The audit source of a sign-in, in the words of the report. */
export function viaOf(source: AuditSource | null | undefined): ReportVia | null {
	if (!source) return null;
	if (source === 'kiosk' || source === 'poster' || source === 'admin' || source === 'app') return source;
	return source === 'cli' ? 'admin' : 'phone';
}

const reasonOf = (details: string | null): string => {
	try {
		const parsed = JSON.parse(details ?? '{}') as { reason?: unknown };
		return typeof parsed.reason === 'string' ? parsed.reason : '';
	} catch {
		return '';
	}
};

function correctionOf(row: ReportRecordRow): ReportCorrection | null {
	if (!row.correctedAt) return null;
	return { by: row.correctedBy ?? 'an admin', at: row.correctedAt, reason: reasonOf(row.correctionDetails) };
}

const reportRecord = (row: ReportRecordRow): ReportRecord => ({
	id: row.id,
	signInAt: row.signInAt,
	signOutAt: row.signOutAt,
	location: row.location,
	via: viaOf(row.source),
	correction: correctionOf(row),
	didNotSignOut: (!row.signOutAt && row.didNotSignOutAt !== null) || undefined,
});

export interface ReportPerson {
	userId: number;
	firstName: string;
	lastName: string;
	emails: string[];
	phones: string[];
	status: 'signed-in' | 'signed-out';
	/** Ordered by sign-in time. */
	records: ReportRecord[];
}

export interface DailyReport {
	date: string;
	signedInCount: number;
	/** Ordered by first name, then last name. */
	people: ReportPerson[];
}

// One collator for every comparison: String#localeCompare looks the locale up on each call.
const collator = new Intl.Collator();
const byName = (a: { firstName: string; lastName: string }, b: { firstName: string; lastName: string }) =>
	collator.compare(a.firstName, b.firstName) || collator.compare(a.lastName, b.lastName);

/**
 * Two statements whatever the number of people (the records with their
 * people, then the contacts), plain rows instead of model instances, and one pass that groups by person:
 * this is the report an admin screen refreshes all day.
 */
export async function dailyReport(date: string): Promise<DailyReport> {
	return (await rangeReport(date, date))[0]!;
}

/**
 * The day report of every date from `from` to `to` (both included), in the
 * same two statements as one day's: a person who came on several days is
 * read once.
 */
export async function rangeReport(from: string, to: string): Promise<DailyReport[]> {
	const records = await reportRecordRows(database(), { from, to });
	const days = datesFrom(from, to).map((date) => ({ date, byPerson: new Map<number, ReportPerson>() }));
	const dayOf = new Map(days.map((d) => [d.date, d]));
	const userIds = [...new Set(records.map((r) => r.userId))];
	const contacts = userIds.length === 0 ? [] : await ContactDetail.findAll({ where: { userId: userIds, method: ['email', 'sms'] }, attributes: ['userId', 'method', 'value'], order: [['id', 'ASC']], raw: true });
	const emails = new Map<number, string[]>();
	const phones = new Map<number, string[]>();
	for (const contact of contacts) {
		const list = contact.method === 'email' ? emails : phones;
		(list.get(contact.userId!) ?? list.set(contact.userId!, []).get(contact.userId!)!).push(contact.value);
	}
	for (const row of records) {
		const day = dayOf.get(row.date);
		if (!day) continue;
		let person = day.byPerson.get(row.userId);
		if (!person) {
			person = { userId: row.userId, firstName: row.firstName, lastName: row.lastName, emails: emails.get(row.userId) ?? [], phones: phones.get(row.userId) ?? [], status: 'signed-out', records: [] };
			day.byPerson.set(row.userId, person);
		}
		const record = reportRecord(row);
		person.records.push(record);
		if (record.signOutAt === null) person.status = 'signed-in';
	}
	return days.map(({ date, byPerson }) => {
		const people = [...byPerson.values()].sort(byName);
		return { date, signedInCount: people.filter((p) => p.status === 'signed-in').length, people };
	});
}

/** Every date from `from` to `to`, both included. */
export function datesFrom(from: string, to: string): string[] {
	const dates: string[] = [];
	for (let at = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); at <= end; at += 86_400_000) dates.push(new Date(at).toISOString().slice(0, 10));
	return dates;
}

export interface HistoryDay {
	date: string;
	records: ReportRecord[];
}

/** Whose history it is, and their days from `from` to `to`: two statements. */
export async function personReport(userId: number, from: string, to: string) {
	const [person, days] = await Promise.all([User.findByPk(userId, { attributes: ['id', 'firstName', 'lastName'], raw: true }), personHistory(userId, from, to)]);
	if (!person) throw new DomainError('not-found', 'No such user.');
	return { person: { id: person.id, firstName: person.firstName, lastName: person.lastName }, days };
}

/** One person's records from `from` to `to`, newest day first: one statement. */
export async function personHistory(userId: number, from: string, to: string): Promise<HistoryDay[]> {
	const rows = await reportRecordRows(database(), { from, to, userId });
	const days = new Map<string, ReportRecord[]>();
	for (const row of rows) {
		(days.get(row.date) ?? days.set(row.date, []).get(row.date)!).push(reportRecord(row));
	}
	return [...days.entries()].map(([date, records]) => ({ date, records })).sort((a, b) => b.date.localeCompare(a.date));
}

export interface ReportRow {
	id: number | null;
	correction: ReportCorrection | null;
	firstName: string;
	lastName: string;
	signInAt: Date;
	signOutAt: Date | null;
	location: string | null;
	via: ReportVia | null;
	didNotSignOut?: boolean;
}

/** The admin table: open records first, then closed ones; each group by name, then sign-in time. */
export function reportRows(report: DailyReport): { signedIn: ReportRow[]; signedOut: ReportRow[] } {
	const rows = report.people.flatMap((p) =>
		p.records.map((r) => ({ id: r.id ?? null, correction: r.correction ?? null, firstName: p.firstName, lastName: p.lastName, signInAt: r.signInAt, signOutAt: r.signOutAt, location: r.location ?? null, via: r.via ?? null, didNotSignOut: r.didNotSignOut })),
	);
	const order = (a: ReportRow, b: ReportRow) => byName(a, b) || a.signInAt.getTime() - b.signInAt.getTime();
	return {
		signedIn: rows.filter((r) => r.signOutAt === null).sort(order),
		signedOut: rows.filter((r) => r.signOutAt !== null).sort(order),
	};
}

/** The report's headline, the original app's sentence, in the singular for one person. */
export function signedInSentence(count: number): string {
	return `There ${count === 1 ? 'is' : 'are'} currently ${countOf(count, 'person', 'people')} signed-in`;
}
