/**
 * Who a marshal must account for: everyone in now (open records of the
 * offline window; one opened on an earlier day is "uncertain": that person
 * did not sign out), and everyone who signed out in the last 15 minutes (they
 * may still be near the building), with a number to call. Three statements
 * whatever the number of people.
 */
import { Op } from 'sequelize';
import { Location, SignInRecord } from '../../db/models/attendance.model';
import { ContactDetail, User } from '../../db/models/people.model';
import { instantOf } from '../../db/queries/person-day.query';
import { LEFT_RECENTLY_MS, type Evacuee } from '../../../src/lib/contracts/rollcall-protocol';
import { whoIsIn } from '../attendance/presence-now';

interface LeftRow {
	userId: number;
	signInAt: Date | string;
	signOutAt: Date | string;
	user: { firstName: string; lastName: string };
	location: { name: string | null } | null;
}

async function leftRecently(now: Date, stillIn: Set<number>): Promise<Evacuee[]> {
	const rows = (await SignInRecord.findAll({
		where: { signOutAt: { [Op.gte]: new Date(now.getTime() - LEFT_RECENTLY_MS), [Op.lte]: now } },
		attributes: ['userId', 'signInAt', 'signOutAt'],
		include: [
			{ model: User, as: 'user', attributes: ['firstName', 'lastName'], required: true },
			{ model: Location, as: 'location', attributes: ['name'] },
		],
		order: [['signOutAt', 'ASC']],
		raw: true,
		nest: true,
	})) as unknown as LeftRow[];
	const latest = new Map<number, Evacuee>();
	for (const row of rows) {
		if (stillIn.has(row.userId)) continue;
		latest.set(row.userId, {
			userId: row.userId,
			firstName: row.user.firstName,
			lastName: row.user.lastName,
			phone: null,
			location: row.location?.name ?? null,
			since: instantOf(row.signInAt).toISOString(),
			leftAt: instantOf(row.signOutAt).toISOString(),
			group: 'left-recently',
		});
	}
	return [...latest.values()];
}

const collator = new Intl.Collator();
const byName = (a: Evacuee, b: Evacuee) => collator.compare(a.firstName, b.firstName) || collator.compare(a.lastName, b.lastName) || a.userId - b.userId;

/** Everyone to account for now, by name, each with their first phone number. */
export async function evacuationList(now = new Date()): Promise<Evacuee[]> {
	const { people } = await whoIsIn(now);
	const inside: Evacuee[] = people.map((p) => ({
		userId: p.userId,
		firstName: p.firstName,
		lastName: p.lastName,
		phone: null,
		location: p.location,
		since: p.since,
		leftAt: null,
		group: p.stale ? 'uncertain' : 'in',
	}));
	const everyone = [...inside, ...(await leftRecently(now, new Set(inside.map((p) => p.userId))))];
	if (everyone.length === 0) return [];
	const phones = await ContactDetail.findAll({
		where: { userId: everyone.map((p) => p.userId), method: 'sms' },
		attributes: ['userId', 'value'],
		order: [['id', 'ASC']],
		raw: true,
	});
	const phoneOf = new Map<number, string>();
	for (const phone of phones) if (!phoneOf.has(phone.userId!)) phoneOf.set(phone.userId!, phone.value);
	return everyone.map((p) => ({ ...p, phone: phoneOf.get(p.userId) ?? null })).sort(byName);
}
