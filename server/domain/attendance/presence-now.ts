/**
 * Who is in the building now: everyone with an open record from the last
 * few days (the offline window: older open records are abandoned, not
 * presence). A record opened on an earlier day is flagged `stale`: that
 * person did not sign out. One statement for everyone, or for one person
 * when a change is announced.
 */
import { Op } from 'sequelize';
import { config } from '../../config';
import { Location, SignInRecord } from '../../db/models/attendance.model';
import { User } from '../../db/models/people.model';
import { instantOf } from '../../db/queries/person-day.query';
import type { PresenceRow } from '../../../src/lib/contracts/live';
import { localDate, localTime } from '../shared/clock';

interface OpenRow {
	userId: number;
	date: string | Date;
	signInAt: Date | string;
	user: { firstName: string; lastName: string };
	location: { name: string | null } | null;
}

const dateOnly = (value: string | Date) => (value instanceof Date ? value.toISOString().slice(0, 10) : value.slice(0, 10));

async function openRows(now: Date, userId?: number): Promise<OpenRow[]> {
	const oldest = localDate(new Date(now.getTime() - config().sync.offlineWindowMs));
	return (await SignInRecord.findAll({
		where: { signOutAt: null, date: { [Op.gte]: oldest }, ...(userId === undefined ? {} : { userId }) },
		attributes: ['userId', 'date', 'signInAt'],
		include: [
			{ model: User, as: 'user', attributes: ['firstName', 'lastName'], required: true },
			{ model: Location, as: 'location', attributes: ['name'] },
		],
		order: [['signInAt', 'ASC'], ['id', 'ASC']],
		raw: true,
		nest: true,
	})) as unknown as OpenRow[];
}

/** One row per person: their latest open record. */
function rowsOf(records: OpenRow[], today: string): PresenceRow[] {
	const latest = new Map<number, PresenceRow>();
	for (const r of records) {
		const date = dateOnly(r.date);
		const since = instantOf(r.signInAt);
		latest.set(r.userId, {
			userId: r.userId,
			firstName: r.user.firstName,
			lastName: r.user.lastName,
			since: since.toISOString(),
			sinceTime: localTime(since),
			date,
			location: r.location?.name ?? null,
			stale: date < today,
		});
	}
	return [...latest.values()];
}

export async function whoIsIn(now = new Date()): Promise<{ today: string; people: PresenceRow[] }> {
	const today = localDate(now);
	return { today, people: rowsOf(await openRows(now), today) };
}

/** One person's row now, or null when they have no open record. */
export async function presenceOf(userId: number, now = new Date()): Promise<{ today: string; row: PresenceRow | null }> {
	const today = localDate(now);
	return { today, row: rowsOf(await openRows(now, userId), today)[0] ?? null };
}

/** How many people are in the building now: one COUNT, for messages that only need the number. */
export async function headCount(now = new Date()): Promise<number> {
	const oldest = localDate(new Date(now.getTime() - config().sync.offlineWindowMs));
	return SignInRecord.count({ where: { signOutAt: null, date: { [Op.gte]: oldest } }, distinct: true, col: 'userId' });
}
