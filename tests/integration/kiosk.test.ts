/**
 * The reception kiosk's server side (issue 9): pairing with a one-time code,
 * the roster a kiosk keeps offline, and its scans through `sync.push`.
 */
import { expect, it } from 'vitest';
import { Action, AuditRecord, SignInRecord } from '../../server/db/models/attendance.model';
import { Kiosk } from '../../server/db/models/operations.model';
import { revokeBadges } from '../../server/domain/kiosk/badges';
import { createKiosk, reissuePairingCode, revokeKiosk } from '../../server/domain/kiosk/kiosks';
import { pushBatch } from '../../server/domain/sync/push';
import { sha256 } from '../../server/domain/identity/secrets';
import { PAIRING_CODE_ALPHABET, PAIRING_CODE_TTL_MS, type KioskPairing } from '../../src/lib/contracts/kiosk-protocol';
import { config } from '../../server/config';
import { getSetting, maxShiftMs, setSetting } from '../../server/domain/shared/settings';
import { useTestDatabase } from './support/database';
import { newUser } from './support/factories';
import { kioskCaller, newBadge, newLocation, newPairedKiosk, scan } from './support/kiosks';
import { trpcCode } from './support/people';
import { countStatements } from './support/statements';

const db = await useTestDatabase();

async function trpcMessage(promise: Promise<unknown>): Promise<string> {
	return promise.then(() => 'ok', (e: Error) => e.message);
}

db.describe(`kiosk pairing (${db.dialect})`, () => {
	it('pairs a tablet with a one-time code: the credential is set as a cookie and stored only hashed', async () => {
		const location = await newLocation({ name: 'Reception' });
		const { kiosk, pairing } = await createKiosk({ name: 'Front desk', locationId: location.id });
		expect(pairing.code).toMatch(new RegExp(`^[${PAIRING_CODE_ALPHABET}]{8}$`));
		const { caller, cookies } = kioskCaller(null);
		const reply: KioskPairing = await caller.kiosk.pair({ code: pairing.code.toLowerCase().replace(/^(.{4})/, '$1-') });
		expect(reply.kiosk).toEqual({ id: kiosk.id, name: 'Front desk' });
		expect(reply.location).toEqual({ slug: location.slug, name: 'Reception' });
		expect(reply.credential).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(reply.presenceSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(cookies).toEqual([reply.credential]);
		const row = await Kiosk.findByPk(kiosk.id);
		expect(row).toMatchObject({ tokenHash: sha256(reply.credential), secret: reply.presenceSecret, pairingCodeHash: null });
		expect(row!.pairedAt).not.toBeNull();
		expect(JSON.stringify(row!.toJSON())).not.toContain(pairing.code);
	});

	it('refuses an address that keeps trying codes, even a right one, and gives back the attempt a right code used', async () => {
		const { pairing, kiosk } = await createKiosk({ name: 'Desk', locationId: null });
		const from = (ip: string) => kioskCaller(null, null, ip).caller.kiosk.pair;
		const wrong = 'ABCDEFGH' === pairing.code ? 'HGFEDCBA' : 'ABCDEFGH';
		expect(await trpcMessage(from('203.0.113.7')({ code: pairing.code }))).toBe('ok'); // given back: it does not count
		for (let i = 0; i < 20; i++) expect(await trpcMessage(from('203.0.113.7')({ code: wrong }))).toMatch(/not valid/);
		const { code } = await reissuePairingCode(kiosk.id);
		expect(await trpcCode(from('203.0.113.7')({ code }))).toBe('TOO_MANY_REQUESTS');
		expect(await trpcMessage(from('203.0.113.7')({ code }))).toMatch(/^Too many attempts: wait 1[45] minutes\.$/);
		expect(await trpcMessage(from('203.0.113.8')({ code }))).toBe('ok'); // another address is not held back
	});

	it('refuses a used code, changing nothing', async () => {
		const { pairing, kiosk } = await createKiosk({ name: 'Desk', locationId: null });
		await kioskCaller(null).caller.kiosk.pair({ code: pairing.code });
		const before = (await Kiosk.findByPk(kiosk.id))!.toJSON();
		const again = kioskCaller(null);
		expect(await trpcMessage(again.caller.kiosk.pair({ code: pairing.code }))).toBe('That pairing code is not valid or was already used. Ask an admin for a new one.');
		expect(again.cookies).toEqual([]);
		expect((await Kiosk.findByPk(kiosk.id))!.toJSON()).toEqual(before);
	});

	it('refuses an expired code and an unknown one, changing nothing', async () => {
		const issuedAt = new Date(Date.now() - PAIRING_CODE_TTL_MS - 1000);
		const { pairing, kiosk } = await createKiosk({ name: 'Desk', locationId: null }, undefined, issuedAt);
		const { caller, cookies } = kioskCaller(null);
		expect(await trpcCode(caller.kiosk.pair({ code: pairing.code }))).toBe('BAD_REQUEST');
		expect(await trpcMessage(caller.kiosk.pair({ code: pairing.code }))).toBe('That pairing code has expired. Ask an admin for a new one.');
		expect(await trpcMessage(caller.kiosk.pair({ code: 'ZZZZZZZZ' }))).toMatch(/not valid/);
		expect(await trpcMessage(caller.kiosk.pair({ code: 'ABC' }))).toMatch(/8 characters/);
		expect(await trpcMessage(caller.kiosk.pair({ code: 'OOOOOOOO' }))).toMatch(/not a pairing code/);
		expect(cookies).toEqual([]);
		expect(await Kiosk.findByPk(kiosk.id)).toMatchObject({ tokenHash: null, pairedAt: null });
	});

	it('refuses the code of a revoked kiosk, and a re-issued code replaces the first', async () => {
		const first = await createKiosk({ name: 'Desk', locationId: null });
		const second = await reissuePairingCode(first.kiosk.id);
		const { caller } = kioskCaller(null);
		expect(await trpcMessage(caller.kiosk.pair({ code: first.pairing.code }))).toMatch(/not valid/);
		await revokeKiosk(first.kiosk.id);
		expect(await trpcMessage(caller.kiosk.pair({ code: second.code }))).toMatch(/not valid/);
		expect(await Kiosk.findByPk(first.kiosk.id)).toMatchObject({ tokenHash: null });
	});

	it('resumes the cookie from the stored credential, and refuses unknown and revoked ones', async () => {
		const kiosk = await newPairedKiosk();
		const { caller, cookies } = kioskCaller(null);
		expect(await caller.kiosk.resume({ credential: kiosk.credential })).toMatchObject({ kiosk: { id: kiosk.id } });
		expect(cookies).toEqual([kiosk.credential]);
		expect(await trpcCode(caller.kiosk.resume({ credential: 'A'.repeat(43) }))).toBe('UNAUTHORIZED');
		expect(await trpcCode(caller.kiosk.resume({ credential: 'short' }))).toBe('BAD_REQUEST');
		await revokeKiosk(kiosk.id);
		expect(await trpcMessage(caller.kiosk.resume({ credential: kiosk.credential }))).toBe('kiosk-revoked');
		expect(cookies).toEqual([kiosk.credential]);
	});

	it('a kiosk credential is not a person: it passes no user procedure', async () => {
		const kiosk = await newPairedKiosk();
		const { caller } = kioskCaller(kiosk.credential);
		expect(await trpcCode(caller.profile.me())).toBe('UNAUTHORIZED');
		expect(await trpcCode(caller.admin.users.search({ query: '' }))).toBe('UNAUTHORIZED');
		expect(await trpcCode(caller.attendance.status())).toBe('UNAUTHORIZED');
	});
});

db.describe(`kiosk roster (${db.dialect})`, () => {
	it('lists everyone with their live badge hashes and whether they are in, and records the contact', async () => {
		const kiosk = await newPairedKiosk();
		const ada = await newUser({ firstName: 'Ada', lastName: 'Roster' });
		const bob = await newUser({ firstName: 'Bob', lastName: 'Roster' });
		const adaBadge = await newBadge(ada);
		const old = await newBadge(bob);
		const bobBadge = await newBadge(bob);
		const signIn = scan({ badgeHash: adaBadge.badgeHash }, 'sign-in', new Date(Date.now() - 60_000).toISOString());
		await pushBatch({ userId: null, kioskCredential: kiosk.credential, request: { ip: null, userAgent: null } }, [signIn]);

		const { caller } = kioskCaller(kiosk.credential);
		const roster = await caller.kiosk.roster({ waiting: 3 });
		expect(roster.kiosk.id).toBe(kiosk.id);
		expect(roster.location?.slug).toBeTruthy();
		const people = roster.people.filter((p) => p.lastName === 'Roster');
		expect(people).toEqual([
			{ userId: ada.id, firstName: 'Ada', lastName: 'Roster', badgeHashes: [adaBadge.badgeHash], signedIn: true, since: new Date(signIn.clientAt).toISOString() },
			{ userId: bob.id, firstName: 'Bob', lastName: 'Roster', badgeHashes: [bobBadge.badgeHash], signedIn: false, since: null },
		]);
		expect(JSON.stringify(roster)).not.toContain(old.badgeHash);
		const row = await Kiosk.findByPk(kiosk.id);
		expect(row!.waitingActions).toBe(3);
		expect(Date.now() - row!.lastSeenAt!.getTime()).toBeLessThan(10_000);
	});

	it("states the building's time zone and maximum shift, so the tablet folds its scans by the server's rules", async () => {
		const kiosk = await newPairedKiosk();
		const { caller } = kioskCaller(kiosk.credential);
		await setSetting('maxShiftHours', '9');
		try {
			const roster = await caller.kiosk.roster({ waiting: 0 });
			expect(roster.timeZone).toBe(config().buildingTz);
			expect(roster.maxShiftMs).toBe(9 * 3_600_000);
		} finally {
			await setSetting('maxShiftHours', '16');
			await maxShiftMs(); // warm again, as a running server's cache is
		}
	});

	it('reads the roster with the same number of statements for 3 people and for 40', async () => {
		const kiosk = await newPairedKiosk();
		const { caller } = kioskCaller(kiosk.credential);
		await Promise.all([maxShiftMs(), getSetting('buildingName')]); // settings come from a warm cache on a running server
		const counts: number[] = [];
		for (const people of [3, 37]) {
			const users = await Promise.all(Array.from({ length: people }, () => newUser()));
			for (const u of users) await newBadge(u);
			counts.push((await countStatements(() => caller.kiosk.roster({ waiting: 0 }))).statements.length);
		}
		expect(counts[0]).toBe(counts[1]);
		expect(counts[0]).toBeLessThanOrEqual(7); // credential, contact, people, badges, open records, location, the open roll call
	});

	it('refuses a revoked kiosk with kiosk-revoked and an unpaired browser with kiosk-unpaired', async () => {
		const kiosk = await newPairedKiosk();
		await revokeKiosk(kiosk.id);
		const revoked = kioskCaller(kiosk.credential).caller;
		expect(await trpcCode(revoked.kiosk.roster({ waiting: 0 }))).toBe('FORBIDDEN');
		expect(await trpcMessage(revoked.kiosk.roster({ waiting: 0 }))).toBe('kiosk-revoked');
		expect(await trpcCode(kioskCaller(null).caller.kiosk.roster({ waiting: 0 }))).toBe('UNAUTHORIZED');
		expect(await trpcMessage(kioskCaller('B'.repeat(43)).caller.kiosk.roster({ waiting: 0 }))).toBe('kiosk-unpaired');
	});

	it('a staff session is no kiosk: it cannot read the roster', async () => {
		const user = await newUser();
		expect(await trpcCode(kioskCaller(null, user).caller.kiosk.roster({ waiting: 0 }))).toBe('UNAUTHORIZED');
	});
});

db.describe(`kiosk scans through sync.push (${db.dialect})`, () => {
	const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

	it('records a badge scan for its owner, from the kiosk, at the kiosk location; a resend is a duplicate', async () => {
		const kiosk = await newPairedKiosk();
		const user = await newUser();
		const badge = await newBadge(user);
		const signIn = scan({ badgeHash: badge.badgeHash }, 'sign-in', minutesAgo(5), { seq: 1 });
		const { caller } = kioskCaller(kiosk.credential);
		const reply = await caller.sync.push({ schemaVersion: 1, actions: [signIn] });
		expect(reply).toEqual({ results: [{ id: signIn.id, outcome: 'applied' }] });
		const record = await SignInRecord.findOne({ where: { userId: user.id } });
		expect(record).toMatchObject({ locationId: kiosk.locationId, signInAt: new Date(signIn.clientAt), signOutAt: null });
		const fact = await Action.findByPk(signIn.id);
		expect(fact).toMatchObject({ userId: user.id, deviceId: `kiosk-${kiosk.id}`, kind: 'sign-in', locationId: kiosk.locationId, deviceSeq: 1 });
		expect(await AuditRecord.findByPk(fact!.auditId!)).toMatchObject({ source: 'kiosk', deviceId: `kiosk-${kiosk.id}` });

		const again = await caller.sync.push({ schemaVersion: 1, actions: [signIn] });
		expect(again.results).toEqual([{ id: signIn.id, outcome: 'duplicate' }]);
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(1);
	});

	it('answers a sign-in while in as an honest no-op, and signs out a typed name', async () => {
		const kiosk = await newPairedKiosk();
		const user = await newUser();
		const badge = await newBadge(user);
		const first = scan({ badgeHash: badge.badgeHash }, 'sign-in', minutesAgo(30));
		const second = scan({ badgeHash: badge.badgeHash }, 'sign-in', minutesAgo(20));
		const out = scan({ userId: user.id }, 'sign-out', minutesAgo(10));
		const { caller } = kioskCaller(kiosk.credential);
		const reply = await caller.sync.push({ schemaVersion: 1, actions: [first, second, out] });
		expect(reply.results.map((r) => [r.outcome, r.reason])).toEqual([
			['applied', undefined],
			['no-op', 'already-signed-in'],
			['applied', undefined],
		]);
		expect(await SignInRecord.findAll({ where: { userId: user.id } })).toMatchObject([{ signInAt: new Date(first.clientAt), signOutAt: new Date(out.clientAt) }]);
	});

	it('refuses unknown and revoked badges and unknown people, recording nothing', async () => {
		const kiosk = await newPairedKiosk();
		const user = await newUser();
		const badge = await newBadge(user);
		await revokeBadges([user.id]);
		const revoked = scan({ badgeHash: badge.badgeHash }, 'sign-in', new Date().toISOString());
		const unknown = scan({ badgeHash: sha256('no such badge') }, 'sign-in', new Date().toISOString());
		const nobody = scan({ userId: 2_000_000_000 }, 'sign-in', new Date().toISOString());
		const malformed = { ...scan({ badgeHash: 'xyz' }, 'sign-in', new Date().toISOString()) };
		const reply = await kioskCaller(kiosk.credential).caller.sync.push({ schemaVersion: 1, actions: [revoked, unknown, nobody, malformed] });
		expect(reply.results.map((r) => [r.outcome, r.reason])).toEqual([
			['rejected', 'badge-revoked'],
			['rejected', 'badge-unknown'],
			['rejected', 'person-unknown'],
			['rejected', 'malformed: badgeHash must be 64 hex digits'],
		]);
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(0);
		expect(await Action.count({ where: { id: [revoked.id, unknown.id, nobody.id, malformed.id] } })).toBe(0);
	});

	it('honours an offline scan made before its badge was revoked', async () => {
		const kiosk = await newPairedKiosk();
		const user = await newUser();
		const badge = await newBadge(user);
		const offline = scan({ badgeHash: badge.badgeHash }, 'sign-in', minutesAgo(60));
		await revokeBadges([user.id]);
		const reply = await kioskCaller(kiosk.credential).caller.sync.push({ schemaVersion: 1, actions: [offline] });
		expect(reply.results).toEqual([{ id: offline.id, outcome: 'applied' }]);
	});

	it('refuses every action of a revoked kiosk with kiosk-revoked, and of an unknown credential with kiosk-unpaired', async () => {
		const kiosk = await newPairedKiosk();
		const user = await newUser();
		const badge = await newBadge(user);
		await revokeKiosk(kiosk.id);
		const actions = [scan({ badgeHash: badge.badgeHash }, 'sign-in', minutesAgo(2)), scan({ userId: user.id }, 'sign-out', minutesAgo(1))];
		const reply = await kioskCaller(kiosk.credential).caller.sync.push({ schemaVersion: 1, actions });
		expect(reply.results).toEqual(actions.map((a) => ({ id: a.id, outcome: 'rejected', reason: 'kiosk-revoked' })));
		const stranger = await kioskCaller('C'.repeat(43)).caller.sync.push({ schemaVersion: 1, actions });
		expect(stranger.results.map((r) => r.reason)).toEqual(['kiosk-unpaired', 'kiosk-unpaired']);
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(0);
	});

	it('refuses a scan outside the sync window, once, in the ledger', async () => {
		const kiosk = await newPairedKiosk();
		const user = await newUser();
		const badge = await newBadge(user);
		const ahead = scan({ badgeHash: badge.badgeHash }, 'sign-in', new Date(Date.now() + 3_600_000).toISOString());
		const { caller } = kioskCaller(kiosk.credential);
		expect((await caller.sync.push({ schemaVersion: 1, actions: [ahead] })).results).toEqual([{ id: ahead.id, outcome: 'rejected', reason: 'clock-ahead' }]);
		expect((await caller.sync.push({ schemaVersion: 1, actions: [ahead] })).results).toEqual([{ id: ahead.id, outcome: 'rejected', reason: 'clock-ahead' }]);
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(0);
	});

	it('tells a stranger to log in before reading what they sent', async () => {
		expect(await trpcCode(kioskCaller(null).caller.sync.push({ schemaVersion: 1, actions: [] }))).toBe('UNAUTHORIZED');
	});

	it('a kiosk cookie cannot send a phone action, nor a session a kiosk scan', async () => {
		const kiosk = await newPairedKiosk();
		const user = await newUser();
		const badge = await newBadge(user);
		const phoneAction = { id: crypto.randomUUID(), kind: 'sign-in', clientAt: new Date().toISOString(), deviceId: 'phone', userId: user.id };
		const fromKiosk = await kioskCaller(kiosk.credential).caller.sync.push({ schemaVersion: 1, actions: [phoneAction] });
		expect(fromKiosk.results).toEqual([{ id: phoneAction.id, outcome: 'rejected', reason: 'unauthenticated' }]);
		const scanAction = scan({ badgeHash: badge.badgeHash }, 'sign-in', new Date().toISOString());
		const fromPhone = await kioskCaller(null, user).caller.sync.push({ schemaVersion: 1, actions: [scanAction] });
		expect(fromPhone.results).toEqual([{ id: scanAction.id, outcome: 'rejected', reason: 'kiosk-unpaired' }]);
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(0);
	});
});
