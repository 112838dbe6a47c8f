/** The day's attendance report: who came, when, and who is still in. */
import { ContactDetail, User } from '../../db/models/people.model';
import { AuditRecord, Location, SignInRecord, type AuditSource } from '../../db/models/attendance.model';
import { instantOf } from '../../db/queries/person-day.query';
import { countOf } from '../../../src/lib/contracts/building-time';

export interface ReportRecord {
	signInAt: Date;
	signOutAt: Date | null;
	/** Where the record began, when known (issue 9). */
	location?: string | null;
	/** How it began: a kiosk, a poster, a phone, ... */
	via?: ReportVia | null;
}

export type ReportVia = 'kiosk' | 'poster' | 'phone' | 'admin' | 'app';

/** The audit source of a sign-in, in the words of the report. */
export function viaOf(source: AuditSource | null | undefined): ReportVia | null {
	if (!source) return null;
	if (source === 'kiosk' || source === 'poster' || source === 'admin' || source === 'app') return source;
	return source === 'cli' ? 'admin' : 'phone';
}

interface RecordRow {
	userId: number;
	signInAt: Date | string;
	signOutAt: Date | string | null;
	location: { name: string | null } | null;
	signInAudit: { source: AuditSource | null } | null;
}

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

const byName = (a: { firstName: string; lastName: string }, b: { firstName: string; lastName: string }) =>
	a.firstName.localeCompare(b.firstName) || a.lastName.localeCompare(b.lastName);

/**
 * Three statements whatever the number of people (records, people, contacts),
 * plain rows instead of model instances, and one pass that groups by person:
 * this is the report an admin screen refreshes all day.
 */
export async function dailyReport(date: string): Promise<DailyReport> {
	// The location and the sign-in's audit source come joined: still one statement for the records.
	const records = (await SignInRecord.findAll({
		where: { date },
		attributes: ['id', 'userId', 'signInAt', 'signOutAt'],
		include: [
			{ model: Location, as: 'location', attributes: ['name'] },
			{ model: AuditRecord, as: 'signInAudit', attributes: ['source'] },
		],
		order: [['signInAt', 'ASC'], ['id', 'ASC']],
		raw: true,
		nest: true,
	})) as unknown as RecordRow[];
	const userIds = [...new Set(records.map((r) => r.userId))];
	if (userIds.length === 0) return { date, signedInCount: 0, people: [] };
	const [users, contacts] = await Promise.all([
		User.findAll({ where: { id: userIds }, attributes: ['id', 'firstName', 'lastName'], raw: true }),
		ContactDetail.findAll({ where: { userId: userIds, method: ['email', 'sms'] }, attributes: ['userId', 'method', 'value'], order: [['id', 'ASC']], raw: true }),
	]);
	const byPerson = new Map<number, ReportPerson>();
	for (const user of users) {
		byPerson.set(user.id, { userId: user.id, firstName: user.firstName, lastName: user.lastName, emails: [], phones: [], status: 'signed-out', records: [] });
	}
	for (const contact of contacts) {
		const person = byPerson.get(contact.userId!);
		(contact.method === 'email' ? person?.emails : person?.phones)?.push(contact.value);
	}
	for (const record of records) {
		const person = byPerson.get(record.userId);
		if (!person) continue;
		const signOutAt = record.signOutAt ? instantOf(record.signOutAt) : null;
		person.records.push({ signInAt: instantOf(record.signInAt), signOutAt, location: record.location?.name ?? null, via: viaOf(record.signInAudit?.source) });
		if (signOutAt === null) person.status = 'signed-in';
	}
	const people = [...byPerson.values()].sort(byName);
	return { date, signedInCount: people.filter((p) => p.status === 'signed-in').length, people };
}

export interface ReportRow {
	firstName: string;
	lastName: string;
	signInAt: Date;
	signOutAt: Date | null;
	location: string | null;
	via: ReportVia | null;
}

/** The admin table: open records first, then closed ones; each group by name, then sign-in time. */
export function reportRows(report: DailyReport): { signedIn: ReportRow[]; signedOut: ReportRow[] } {
	const rows = report.people.flatMap((p) =>
		p.records.map((r) => ({ firstName: p.firstName, lastName: p.lastName, signInAt: r.signInAt, signOutAt: r.signOutAt, location: r.location ?? null, via: r.via ?? null })),
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
