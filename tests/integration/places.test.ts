/**
 * Phones at a place (issue 9): a sign-in or sign-out that names a poster's
 * location or carries a kiosk's presence code is recorded there, or refused
 * with the contract's reason and recorded nowhere.
 */
import { randomUUID } from 'node:crypto';
import { expect, it, vi } from 'vitest';
import { Action, AuditRecord, SignInRecord } from '../../server/db/models/attendance.model';
import { dailyReport } from '../../server/domain/attendance/report';
import { toLegacyReport } from '../../server/legacy/report-json';
import { localDate } from '../../server/domain/shared/clock';
import { events } from '../../server/domain/shared/events';
import { revokeKiosk } from '../../server/domain/kiosk/kiosks';
import { deleteLocation } from '../../server/domain/kiosk/locations';
import { pushActions } from '../../server/domain/sync/sync';
import { presenceMac, presenceSlot, PRESENCE_TOLERANCE_MS } from '../../src/lib/contracts/kiosk-protocol';
import { useTestDatabase } from './support/database';
import { newUser } from './support/factories';
import { newLocation, newPairedKiosk } from './support/kiosks';

const db = await useTestDatabase();

const caller = (userId: number) => ({ userId, request: { ip: '192.0.2.9', userAgent: 'places-test' } });
const signIn = (clientAt: Date, place: unknown) => ({ id: randomUUID(), kind: 'sign-in', clientAt: clientAt.toISOString(), deviceId: 'phone-p', place });

async function presenceAt(kiosk: { id: number; presenceSecret: string }, at: Date) {
	const slot = presenceSlot(at.getTime());
	return { presence: { kioskId: kiosk.id, slot, mac: await presenceMac(kiosk.presenceSecret, kiosk.id, slot) } };
}

const minutes = (m: number) => m * 60_000;

db.describe(`poster claims (${db.dialect})`, () => {
	it('records a poster sign-in at its location, audited as a poster', async () => {
		const user = await newUser();
		const bike = await newLocation({ name: 'Bike entrance' });
		const action = signIn(new Date(), { location: bike.slug });
		const announced: string[] = [];
		const off = events.on('signed-in', (e) => void announced.push(e.source));
		const reply = await pushActions(caller(user.id), [action]);
		await vi.waitFor(() => expect(announced).toEqual(['poster'])).finally(off); // the way in, not the sync that carried it
		expect(reply.results).toEqual([{ id: action.id, outcome: 'applied' }]);
		expect(await SignInRecord.findOne({ where: { userId: user.id } })).toMatchObject({ locationId: bike.id });
		const fact = await Action.findByPk(action.id);
		expect(fact).toMatchObject({ locationId: bike.id });
		expect(await AuditRecord.findByPk(fact!.auditId!)).toMatchObject({ source: 'poster' });
	});

	it('shows the location and the way in on the report, and keeps /report.json in its legacy shape', async () => {
		const user = await newUser({ firstName: 'Report', lastName: 'Place' });
		const bike = await newLocation({ name: 'Bike shed' });
		const now = new Date();
		await pushActions(caller(user.id), [signIn(now, { location: bike.slug })], now);
		const report = await dailyReport(localDate(now));
		const person = report.people.find((p) => p.userId === user.id)!;
		expect(person.records).toEqual([{ id: expect.any(Number), signInAt: new Date(now.toISOString()), signOutAt: null, location: 'Bike shed', via: 'poster', correction: null }]);
		const legacy = toLegacyReport(report).users.find((u) => u.first_name === 'Report')!;
		expect(Object.keys(legacy.records[0]!)).toEqual(['sign_in__timestamp', 'sign_out__timestamp']);
	});

	it('refuses an unknown location and one that requires the presence code, recording no record', async () => {
		const user = await newUser();
		const door = await newLocation({ requiresPresence: true });
		const unknown = signIn(new Date(), { location: 'no-such-place' });
		const required = signIn(new Date(), { location: door.slug });
		const reply = await pushActions(caller(user.id), [unknown, required]);
		expect(reply.results).toEqual([
			{ id: unknown.id, outcome: 'rejected', reason: 'location-unknown' },
			{ id: required.id, outcome: 'rejected', reason: 'presence-required' },
		]);
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(0);
		// Refusals are kept so a resend gets the same answer.
		expect((await pushActions(caller(user.id), [unknown])).results[0]).toMatchObject({ outcome: 'rejected', reason: 'location-unknown' });
	});

	it('refuses a malformed place as a malformed action', async () => {
		const user = await newUser();
		const action = signIn(new Date(), { location: '../../etc' });
		const reply = await pushActions(caller(user.id), [action]);
		expect(reply.results[0]).toMatchObject({ outcome: 'rejected', reason: expect.stringMatching(/^malformed: /) });
	});

	it('keeps the records of a deleted location, with no location', async () => {
		const user = await newUser();
		const gone = await newLocation();
		await pushActions(caller(user.id), [signIn(new Date(), { location: gone.slug })]);
		await deleteLocation(gone.id);
		expect(await SignInRecord.findOne({ where: { userId: user.id } })).toMatchObject({ locationId: null });
	});
});

db.describe(`presence codes (${db.dialect})`, () => {
	it('signs an online phone in at the kiosk location with a current code', async () => {
		const user = await newUser();
		const kiosk = await newPairedKiosk();
		const now = new Date();
		const action = signIn(now, await presenceAt(kiosk, now));
		expect((await pushActions(caller(user.id), [action], now)).results).toEqual([{ id: action.id, outcome: 'applied' }]);
		expect(await SignInRecord.findOne({ where: { userId: user.id } })).toMatchObject({ locationId: kiosk.locationId });
	});

	it('refuses a forged code, another kiosk’s code and a revoked kiosk’s code as presence-invalid', async () => {
		const user = await newUser();
		const kiosk = await newPairedKiosk();
		const other = await newPairedKiosk();
		const now = new Date();
		const good = await presenceAt(kiosk, now);
		const forged = signIn(now, { presence: { ...good.presence, mac: 'A'.repeat(22) } });
		const otherSlot = signIn(now, { presence: { ...good.presence, slot: good.presence.slot + 1 } });
		const wrongKiosk = signIn(now, { presence: { ...(await presenceAt(other, now)).presence, kioskId: kiosk.id } });
		const noKiosk = signIn(now, { presence: { ...good.presence, kioskId: 999_999 } });
		const reply = await pushActions(caller(user.id), [forged, otherSlot, wrongKiosk, noKiosk], now);
		expect(reply.results.map((r) => r.reason)).toEqual(['presence-invalid', 'presence-invalid', 'presence-invalid', 'presence-invalid']);
		await revokeKiosk(kiosk.id);
		const afterRevoke = signIn(now, good);
		expect((await pushActions(caller(user.id), [afterRevoke], now)).results[0]!.reason).toBe('presence-invalid');
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(0);
	});

	it('refuses a stale code from an online phone (a saved link opened later)', async () => {
		const user = await newUser();
		const kiosk = await newPairedKiosk();
		const now = new Date();
		const action = signIn(now, await presenceAt(kiosk, new Date(now.getTime() - PRESENCE_TOLERANCE_MS - minutes(1))));
		expect((await pushActions(caller(user.id), [action], now)).results).toEqual([{ id: action.id, outcome: 'rejected', reason: 'presence-stale' }]);
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(0);
	});

	it('refuses a code from the future as stale too', async () => {
		const user = await newUser();
		const kiosk = await newPairedKiosk();
		const now = new Date();
		const action = signIn(now, await presenceAt(kiosk, new Date(now.getTime() + PRESENCE_TOLERANCE_MS + minutes(1))));
		expect((await pushActions(caller(user.id), [action], now)).results[0]!.reason).toBe('presence-stale');
	});

	it('accepts a code judged against the tap time when the phone syncs hours later', async () => {
		const user = await newUser();
		const kiosk = await newPairedKiosk();
		const now = new Date();
		const tappedAt = new Date(now.getTime() - minutes(180));
		const action = signIn(tappedAt, await presenceAt(kiosk, new Date(tappedAt.getTime() - 20_000)));
		expect((await pushActions(caller(user.id), [action], now)).results).toEqual([{ id: action.id, outcome: 'applied' }]);
		expect(await SignInRecord.findOne({ where: { userId: user.id } })).toMatchObject({ locationId: kiosk.locationId, signInAt: tappedAt });
	});

	it('refuses a code far from the tap time when the phone syncs later', async () => {
		const user = await newUser();
		const kiosk = await newPairedKiosk();
		const now = new Date();
		const tappedAt = new Date(now.getTime() - minutes(180));
		const action = signIn(tappedAt, await presenceAt(kiosk, new Date(tappedAt.getTime() - minutes(60))));
		expect((await pushActions(caller(user.id), [action], now)).results[0]).toMatchObject({ outcome: 'rejected', reason: 'presence-stale' });
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(0);
	});
});
