import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { expect, it, vi } from 'vitest';
import { createContextInner, toSessionUser } from '../../server/api/context';
import { createCaller } from '../../server/api/router';
import { Action, SignInRecord } from '../../server/db/models/attendance.model';
import { events } from '../../server/domain/shared/events';
import { mergeUsers } from '../../server/domain/people/people-merge';
import { claimableUserIds, pushActions } from '../../server/domain/sync/sync';
import { transaction } from '../../server/db/database';
import { foldRules } from '../../server/domain/attendance/attendance';
import { recordFacts, type NewFact } from '../../server/domain/attendance/fact-store';
import { useTestDatabase } from './support/database';
import { newUser, webAudit } from './support/factories';

const db = await useTestDatabase();

const now = new Date('2026-03-10T18:00:00Z');
const at = (iso: string) => `2026-03-10T${iso}:00.000Z`;
const action = (kind: 'sign-in' | 'sign-out', time: string, extra: Record<string, unknown> = {}) => ({
	id: randomUUID(),
	kind,
	clientAt: at(time),
	deviceId: 'phone-1',
	...extra,
});
const caller = (userId: number) => ({ userId, request: { ip: '192.0.2.1', userAgent: 'sync-test' } });

async function records(userId: number) {
	const rows = await SignInRecord.findAll({ where: { userId }, order: [['signInAt', 'ASC']] });
	return rows.map((r) => [r.date, r.signInAt.toISOString(), r.signOutAt?.toISOString() ?? null]);
}

db.describe(`sync.push (${db.dialect})`, () => {
	it('applies queued actions with their client times, in client-time order', async () => {
		const user = await newUser();
		const signOut = action('sign-out', '17:30');
		const signIn = action('sign-in', '08:45');
		const reply = await pushActions(caller(user.id), [signOut, signIn], now);
		expect(reply.results).toEqual([
			{ id: signOut.id, outcome: 'applied' },
			{ id: signIn.id, outcome: 'applied' },
		]);
		expect(await records(user.id)).toEqual([['2026-03-10', at('08:45'), at('17:30')]]);
		expect(reply.status).toMatchObject({ date: '2026-03-10', signedIn: false });
	});

	it('changes nothing when the same batch is pushed twice (a lost reply)', async () => {
		const user = await newUser();
		const batch = [action('sign-in', '09:00'), action('sign-out', '12:00'), action('sign-in', '13:00')];
		const first = await pushActions(caller(user.id), batch, now);
		const again = await pushActions(caller(user.id), batch, now);
		expect(first.results.map((r) => r.outcome)).toEqual(['applied', 'applied', 'applied']);
		expect(again.results.map((r) => r.outcome)).toEqual(['duplicate', 'duplicate', 'duplicate']);
		expect(await records(user.id)).toEqual([
			['2026-03-10', at('09:00'), at('12:00')],
			['2026-03-10', at('13:00'), null],
		]);
		expect(await Action.count({ where: { userId: user.id } })).toBe(3);
	});

	it('answers the same id twice in one batch once applied and once as a duplicate', async () => {
		const user = await newUser();
		const twice = action('sign-in', '09:00');
		const farAhead = action('sign-in', '19:00');
		const reply = await pushActions(caller(user.id), [twice, twice, farAhead, farAhead], now);
		expect(reply.results.map((r) => r.outcome)).toEqual(['applied', 'duplicate', 'rejected', 'rejected']);
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(1);
	});

	it('records a sign-in while in and a sign-out while out as no-ops', async () => {
		const user = await newUser();
		const reply = await pushActions(
			caller(user.id),
			[action('sign-out', '08:00'), action('sign-in', '09:00'), action('sign-in', '09:05')],
			now,
		);
		expect(reply.results.map((r) => r.outcome)).toEqual(['no-op', 'applied', 'no-op']);
		expect(await Action.count({ where: { userId: user.id, outcome: 'no-op' } })).toBe(2);
	});

	it('folds a late older sign-in into the day without reopening it', async () => {
		const user = await newUser();
		await pushActions(caller(user.id), [action('sign-in', '09:00', { deviceId: 'kiosk' }), action('sign-out', '17:00', { deviceId: 'kiosk' })], now);
		const late = action('sign-in', '08:55');
		const reply = await pushActions(caller(user.id), [late], now);
		expect(reply.results).toEqual([{ id: late.id, outcome: 'applied' }]);
		expect(reply.status.signedIn).toBe(false);
		expect(await records(user.id)).toEqual([['2026-03-10', at('08:55'), at('17:00')]]);
	});

	it('makes one record 08:00-17:00 of a sign-in queued at 08:00 that arrives after a sign-out at 17:00 from another device', async () => {
		const user = await newUser();
		const out = await pushActions(caller(user.id), [action('sign-out', '17:00', { deviceId: 'laptop', seq: 1 })], now);
		expect(out.results[0]).toMatchObject({ outcome: 'no-op', reason: 'already-signed-out' });
		const queued = await pushActions(caller(user.id), [action('sign-in', '08:00', { deviceId: 'phone', seq: 1 })], new Date('2026-03-10T17:30:00Z'));
		expect(queued.results[0]!.outcome).toBe('applied');
		expect(queued.status.signedIn).toBe(false);
		expect(await records(user.id)).toEqual([['2026-03-10', at('08:00'), at('17:00')]]);
		expect(await Action.count({ where: { userId: user.id } })).toBe(2);
	});

	it('says a no-op met a sign-out made on another device, and when', async () => {
		const user = await newUser();
		await pushActions(caller(user.id), [action('sign-in', '08:00', { deviceId: 'kiosk', seq: 1 }), action('sign-out', '17:00', { deviceId: 'kiosk', seq: 2 })], now);
		const again = action('sign-out', '17:30', { deviceId: 'phone', seq: 1 });
		const reply = await pushActions(caller(user.id), [again], now);
		expect(reply.results).toEqual([
			{ id: again.id, outcome: 'no-op', reason: 'already-signed-out', detail: { reason: 'already-signed-out', at: at('17:00'), elsewhere: true } },
		]);
	});

	it('keeps a device in its own order when its clock was set back between two taps', async () => {
		const user = await newUser();
		const first = action('sign-in', '09:00', { seq: 1 });
		const second = action('sign-out', '08:30', { seq: 2 });
		const reply = await pushActions(caller(user.id), [second, first], now);
		expect(reply.results.map((r) => r.outcome)).toEqual(['applied', 'applied']);
		expect(await records(user.id)).toEqual([['2026-03-10', at('09:00'), at('09:00')]]);
	});

	it('closes a record begun before midnight with a sign-out after it, within the maximum shift', async () => {
		const user = await newUser();
		const morning = new Date('2026-03-11T07:00:00Z');
		await pushActions(caller(user.id), [action('sign-in', '22:00'), { ...action('sign-out', '00:00'), clientAt: '2026-03-11T06:00:00.000Z' }], morning);
		expect(await records(user.id)).toEqual([['2026-03-10', at('22:00'), '2026-03-11T06:00:00.000Z']]);
	});

	it('dates each record by the building-local date of its event time', async () => {
		const user = await newUser();
		// 23:30 UTC on 30 June is 00:30 on 1 July in London.
		const summer = { id: randomUUID(), kind: 'sign-in', clientAt: '2026-06-30T23:30:00Z', deviceId: 'p' };
		await pushActions(caller(user.id), [summer], new Date('2026-07-01T08:00:00Z'));
		const [row] = await SignInRecord.findAll({ where: { userId: user.id } });
		expect(row!.date).toBe('2026-07-01');
	});

	it('clamps a clock slightly ahead to the server time and rejects one far ahead or too old', async () => {
		const user = await newUser();
		const slightlyAhead = action('sign-in', '18:01');
		const farAhead = action('sign-out', '18:10');
		const tooOld = { ...action('sign-in', '09:00'), clientAt: '2026-03-01T09:00:00.000Z' };
		const reply = await pushActions(caller(user.id), [slightlyAhead, farAhead, tooOld], now);
		expect(reply.results).toEqual([
			{ id: slightlyAhead.id, outcome: 'applied' },
			{ id: farAhead.id, outcome: 'rejected', reason: 'clock-ahead' },
			{ id: tooOld.id, outcome: 'rejected', reason: 'too-old' },
		]);
		expect(await records(user.id)).toEqual([['2026-03-10', now.toISOString(), null]]);
		const resent = await pushActions(caller(user.id), [farAhead], now);
		expect(resent.results).toEqual([{ id: farAhead.id, outcome: 'rejected', reason: 'clock-ahead' }]);
	});

	it('rejects an action for another user and an id another user already used', async () => {
		const [alice, bob] = [await newUser(), await newUser()];
		const forBob = action('sign-in', '09:00', { userId: bob.id });
		const alices = action('sign-in', '09:00');
		await pushActions(caller(alice.id), [alices], now);
		const reply = await pushActions(caller(alice.id), [forBob], now);
		expect(reply.results).toEqual([{ id: forBob.id, outcome: 'rejected', reason: 'other-user' }]);
		// Not written to the ledger: it is still Bob's to send when he logs in on that phone.
		expect(await Action.findByPk(forBob.id)).toBeNull();
		expect((await pushActions(caller(bob.id), [forBob], now)).results).toEqual([{ id: forBob.id, outcome: 'applied' }]);
		const stolen = await pushActions(caller(bob.id), [alices], now);
		expect(stolen.results).toEqual([{ id: alices.id, outcome: 'rejected', reason: 'id-conflict' }]);
		expect(await SignInRecord.count({ where: { userId: bob.id } })).toBe(1);
	});

	it('rejects malformed actions one by one and applies the rest', async () => {
		const user = await newUser();
		const good = action('sign-in', '09:00');
		const reply = await pushActions(
			caller(user.id),
			[{ ...action('sign-in', '09:00'), id: 'not-a-uuid' }, { ...action('sign-in', '09:00'), kind: 'teleport' }, { id: 7 }, null, good],
			now,
		);
		expect(reply.results.map((r) => [r.id, r.outcome])).toEqual([
			['not-a-uuid', 'rejected'],
			[expect.any(String), 'rejected'],
			[null, 'rejected'],
			[null, 'rejected'],
			[good.id, 'applied'],
		]);
		expect(reply.results[0]!.reason).toMatch(/^malformed: id must be a UUID/);
		expect(reply.results[1]!.reason).toMatch(/kind/);
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(1);
	});

	it('announces each applied action once, and marks late ones as not real-time', async () => {
		const user = await newUser({ firstName: 'Sync' });
		const seen: Array<[string, boolean]> = [];
		const off = events.on('signed-in', (e) => void seen.push([e.at.toISOString(), e.realtime]));
		const fresh = new Date();
		const recent = { id: randomUUID(), kind: 'sign-in', clientAt: new Date(fresh.getTime() - 60_000).toISOString(), deviceId: 'p' };
		const batch = [recent];
		await pushActions(caller(user.id), batch, fresh);
		await pushActions(caller(user.id), batch, fresh);
		const other = await newUser();
		const old = { id: randomUUID(), kind: 'sign-in', clientAt: new Date(fresh.getTime() - 3 * 3_600_000).toISOString(), deviceId: 'p' };
		await pushActions(caller(other.id), [old], fresh);
		await vi.waitFor(() => expect(seen).toHaveLength(2));
		expect(seen).toEqual([
			[recent.clientAt, true],
			[old.clientAt, false],
		]);
		off();
	});

	it('answers through tRPC, and refuses an empty batch, one over 500, a wrong schema version and strangers', async () => {
		const user = await newUser();
		const api = createCaller(createContextInner({ user: toSessionUser(user) }));
		const fresh = { id: randomUUID(), kind: 'sign-in', clientAt: new Date().toISOString(), deviceId: 'p' };
		const reply = await api.sync.push({ schemaVersion: 1, actions: [fresh] });
		expect(reply.results).toEqual([{ id: fresh.id, outcome: 'applied' }]);
		const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: TRPCError) => e.code);
		expect(await code(api.sync.push({ schemaVersion: 1, actions: [] }))).toBe('BAD_REQUEST');
		expect(await code(api.sync.push({ schemaVersion: 1, actions: Array.from({ length: 501 }, () => fresh) }))).toBe('BAD_REQUEST');
		expect(await code(api.sync.push({ schemaVersion: 2 as 1, actions: [fresh] }))).toBe('BAD_REQUEST');
		expect(await code(createCaller(createContextInner()).sync.push({ schemaVersion: 1, actions: [fresh] }))).toBe('UNAUTHORIZED');
		expect(await Action.count({ where: { userId: user.id } })).toBe(1);
	});
});

db.describe(`sync.push across accounts and devices (${db.dialect})`, () => {
	it('accepts actions queued under an account that was merged into the caller', async () => {
		const admin = await newUser({ role: 'admin' });
		const kept = await newUser();
		const merged = await newUser();
		await mergeUsers({ id: admin.id, request: { ip: '192.0.2.9', userAgent: 'test' } }, [kept.id, merged.id]);
		const queued = action('sign-in', '09:00', { userId: merged.id });
		expect(await claimableUserIds(kept.id, [merged.id, admin.id])).toEqual([merged.id]);
		const reply = await pushActions(caller(kept.id), [queued], now);
		expect(reply.results).toEqual([{ id: queued.id, outcome: 'applied' }]);
		expect(await records(kept.id)).toEqual([['2026-03-10', at('09:00'), null]]);
	});

	it('applies simultaneous sign-ins from several devices of one person as one record', async () => {
		const user = await newUser();
		const devices = Array.from({ length: 8 }, (_, i) => action('sign-in', '09:00', { deviceId: `device-${i}`, seq: 1 }));
		const replies = await Promise.all(devices.map((a) => pushActions(caller(user.id), [a], now)));
		const outcomes = replies.map((r) => r.results[0]!.outcome).sort();
		expect(outcomes).toEqual(['applied', ...Array(7).fill('no-op')]);
		expect(await records(user.id)).toEqual([['2026-03-10', at('09:00'), null]]);
		expect(await Action.count({ where: { userId: user.id } })).toBe(8);
	});

	it('orders facts by when they were stored: one read from the clock before a wait for the lock still arrives after the fact that held it', async () => {
		const user = await newUser();
		const signIn = (deviceId: string): NewFact => ({ id: randomUUID(), kind: 'sign-in', at: new Date(at('09:00')), clientAt: new Date(at('09:00')), deviceId, seq: 1 });
		const rules = await foldRules();
		const store = (fact: NewFact, receivedAt: Date) => transaction((t) => recordFacts(user.id, [fact], webAudit, rules, t, receivedAt));
		const first = signIn('laptop');
		const second = signIn('phone');
		expect((await store(first, new Date('2026-03-10T18:00:10Z'))).effects.get(first.id)?.kind).toBe('opened');
		// The phone's clock reading is older than the stored fact: it still comes second, as it was applied.
		const folded = await store(second, new Date('2026-03-10T18:00:05Z'));
		expect(folded.effects.get(second.id)?.kind).toBe('already-in');
		const ledger = await Action.findAll({ where: { userId: user.id }, order: [['receivedAt', 'ASC']] });
		expect(ledger.map((a) => [a.deviceId, a.outcome])).toEqual([
			['laptop', 'applied'],
			['phone', 'no-op'],
		]);
		expect(await records(user.id)).toEqual([['2026-03-10', at('09:00'), null]]);
	});

	it('keeps the fold right when a phone and a laptop push a sign-in and a sign-out at the same moment', async () => {
		const user = await newUser();
		await pushActions(caller(user.id), [action('sign-in', '08:00', { deviceId: 'kiosk', seq: 1 })], now);
		await Promise.all([
			pushActions(caller(user.id), [action('sign-out', '17:00', { deviceId: 'laptop', seq: 1 })], now),
			pushActions(caller(user.id), [action('sign-in', '12:00', { deviceId: 'phone', seq: 1 })], now),
		]);
		expect(await records(user.id)).toEqual([['2026-03-10', at('08:00'), at('17:00')]]);
	});
});
