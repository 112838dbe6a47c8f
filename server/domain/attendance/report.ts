/** The day's attendance report: who came, when, and who is still in. */
import { ContactDetail, User } from '../../db/models/people.model';
import { SignInRecord } from '../../db/models/attendance.model';
import { countOf } from '../../../src/lib/contracts/building-time';

export interface ReportRecord {
	signInAt: Date;
	signOutAt: Date | null;
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

export async function dailyReport(date: string): Promise<DailyReport> {
	const records = await SignInRecord.findAll({ where: { date }, order: [['signInAt', 'ASC']] });
	const userIds = [...new Set(records.map((r) => r.userId))];
	const [users, contacts] = await Promise.all([
		User.findAll({ where: { id: userIds } }),
		ContactDetail.findAll({ where: { userId: userIds, method: ['email', 'sms'] }, order: [['id', 'ASC']] }),
	]);
	const people = users.map((user): ReportPerson => {
		const own = records.filter((r) => r.userId === user.id);
		const mine = contacts.filter((c) => c.userId === user.id);
		return {
			userId: user.id,
			firstName: user.firstName,
			lastName: user.lastName,
			emails: mine.filter((c) => c.method === 'email').map((c) => c.value),
			phones: mine.filter((c) => c.method === 'sms').map((c) => c.value),
			status: own.some((r) => r.signOutAt === null) ? 'signed-in' : 'signed-out',
			records: own.map((r) => ({ signInAt: r.signInAt, signOutAt: r.signOutAt ?? null })),
		};
	});
	people.sort(byName);
	return { date, signedInCount: people.filter((p) => p.status === 'signed-in').length, people };
}

export interface ReportRow {
	firstName: string;
	lastName: string;
	signInAt: Date;
	signOutAt: Date | null;
}

/** The admin table: open records first, then closed ones; each group by name, then sign-in time. */
export function reportRows(report: DailyReport): { signedIn: ReportRow[]; signedOut: ReportRow[] } {
	const rows = report.people.flatMap((p) =>
		p.records.map((r) => ({ firstName: p.firstName, lastName: p.lastName, signInAt: r.signInAt, signOutAt: r.signOutAt })),
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
