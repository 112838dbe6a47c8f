/**
 * The roster a kiosk keeps offline (DESIGN §4.6): everyone with their live
 * badge hashes and whether they are in now, and the open fire roll call.
 * Four reads whatever the number of people (people, live badges, open records
 * of the last two days, the open roll call), so a
 * building of a thousand costs what a building of ten does.
 */
import { Op } from 'sequelize';
import { config } from '../../config';
import { SignInRecord } from '../../db/models/attendance.model';
import type { Kiosk } from '../../db/models/operations.model';
import { Badge, User } from '../../db/models/people.model';
import type { KioskRoster, RosterPerson } from '../../../src/lib/contracts/kiosk-protocol';
import { foldRules } from '../attendance/attendance';
import { currentRecord } from '../attendance/fact-store';
import { localDate } from '../shared/clock';
import { getSetting } from '../shared/settings';
import { placeOf } from './pairing';
import { openRollCallForKiosk } from '../rollcall/roll-calls';

/** Open records older than this cannot be current (a shift is at most 24 hours, a day 25). */
const OPEN_WINDOW_MS = 48 * 3_600_000;

export async function kioskRoster(kiosk: Pick<Kiosk, 'id' | 'name' | 'locationId'>, now = new Date()): Promise<KioskRoster> {
	const [people, badges, open, rules, location, buildingName, rollCall] = await Promise.all([
		User.findAll({ attributes: ['id', 'firstName', 'lastName'], order: [['firstName', 'ASC'], ['lastName', 'ASC'], ['id', 'ASC']] }),
		Badge.findAll({ attributes: ['userId', 'badgeHash'], where: { revokedAt: { [Op.is]: null } } }),
		SignInRecord.findAll({
			attributes: ['userId', 'date', 'signInAt'],
			where: { signOutAt: { [Op.is]: null }, signInAt: { [Op.gte]: new Date(now.getTime() - OPEN_WINDOW_MS) } },
		}),
		foldRules(),
		placeOf(kiosk.locationId),
		getSetting('buildingName'),
		openRollCallForKiosk(),
	]);
	const hashes = new Map<number, string[]>();
	for (const b of badges) (hashes.get(b.userId) ?? hashes.set(b.userId, []).get(b.userId)!).push(b.badgeHash);
	const openOf = new Map<number, SignInRecord[]>();
	for (const r of open) (openOf.get(r.userId) ?? openOf.set(r.userId, []).get(r.userId)!).push(r);

	const roster: RosterPerson[] = people.map((p) => {
		const records = (openOf.get(p.id) ?? []).map((r) => ({ date: r.date, signInAt: r.signInAt.getTime(), signOutAt: null, signInFactId: null, signOutFactId: null }));
		const current = currentRecord(records, now, rules);
		return {
			userId: p.id,
			firstName: p.firstName,
			lastName: p.lastName,
			badgeHashes: hashes.get(p.id) ?? [],
			signedIn: current !== undefined,
			since: current ? new Date(current.signInAt).toISOString() : null,
		};
	});
	return {
		kiosk: { id: kiosk.id, name: kiosk.name },
		location,
		buildingName,
		date: localDate(now),
		timeZone: config().buildingTz,
		maxShiftMs: rules.maxShiftMs,
		generatedAt: now.toISOString(),
		people: roster,
		rollCall,
	};
}
