import { randomUUID } from 'node:crypto';
import { expect, it, vi } from 'vitest';
import { Action, AuditRecord, SignInRecord } from '../../server/db/models/attendance.model';
import { recordAttendance, todayStatus } from '../../server/domain/attendance/attendance';
import { events, type AttendanceEvent } from '../../server/domain/shared/events';
import { setSetting } from '../../server/domain/shared/settings';
import { useTestDatabase } from './support/database';
import { gmt, newUser, webAudit } from './support/factories';

const db = await useTestDatabase();

const signIn = (userId: number, at: Date, extra: { actionId?: string; renderedDate?: string } = {}) =>
	recordAttendance({ userId, kind: 'sign-in', audit: webAudit, at, ...extra });
const signOut = (userId: number, at: Date, extra: { actionId?: string; renderedDate?: string } = {}) =>
	recordAttendance({ userId, kind: 'sign-out', audit: webAudit, at, ...extra });

db.describe(`attendance (${db.dialect})`, () => {
	it('signs a person in and reports the time since when they are in', async () => {
		const user = await newUser();
		const result = await signIn(user.id, gmt('2026-01-12T09:02:30'));
		expect(result.outcome).toBe('applied');
		expect(result.message).toBe("You have successfully signed in. Don't forget to sign out when you leave.");
		expect(result.status).toMatchObject({ date: '2026-01-12', signedIn: true, sinceTime: '09:02' });
		const records = await SignInRecord.findAll({ where: { userId: user.id } });
		expect(records).toHaveLength(1);
		expect(records[0]!.date).toBe('2026-01-12');
		expect(records[0]!.signInAt.toISOString()).toBe('2026-01-12T09:02:30.000Z');
	});

	it('keeps each action as a fact with its event time and the audit of the request that brought it', async () => {
		const user = await newUser();
		await signIn(user.id, gmt('2026-01-13T08:00:00'), { actionId: randomUUID() });
		const record = await SignInRecord.findOne({ where: { userId: user.id } });
		const audit = await AuditRecord.findByPk(record!.signInAuditId!);
		expect(audit).toMatchObject({ ip: '203.0.113.7', userAgent: 'vitest', source: 'web' });
		const fact = await Action.findOne({ where: { userId: user.id } });
		expect(fact).toMatchObject({ kind: 'sign-in', outcome: 'applied', auditId: audit!.id });
		expect(fact!.at!.toISOString()).toBe('2026-01-13T08:00:00.000Z');
	});

	it('keeps a no-op as a fact too, even without an action id', async () => {
		const user = await newUser();
		await signOut(user.id, gmt('2026-01-13T08:00:00'));
		expect(await Action.findAll({ where: { userId: user.id } })).toMatchObject([{ kind: 'sign-out', outcome: 'no-op', reason: 'already-signed-out' }]);
	});

	it('does not open a second record when already signed in', async () => {
		const user = await newUser();
		await signIn(user.id, gmt('2026-01-14T08:00:00'));
		const again = await signIn(user.id, gmt('2026-01-14T09:00:00'));
		expect(again.outcome).toBe('no-op');
		expect(again.status.sinceTime).toBe('08:00');
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(1);
	});

	it('signs out of today only, leaving a record from yesterday morning open as "did not sign out"', async () => {
		const user = await newUser();
		await signIn(user.id, gmt('2026-01-14T08:00:00'));
		const today = await signIn(user.id, gmt('2026-01-15T07:00:00'));
		expect(today.outcome).toBe('applied');
		const result = await signOut(user.id, gmt('2026-01-15T17:30:00'));
		expect(result.outcome).toBe('applied');
		expect(result.message).toBe('You have successfully signed out. See you again soon!');
		expect(result.status.signedIn).toBe(false);
		const rows = await SignInRecord.findAll({ where: { userId: user.id }, order: [['signInAt', 'ASC']] });
		expect(rows.map((r) => [r.date, r.signOutAt?.toISOString() ?? null])).toEqual([
			['2026-01-14', null],
			['2026-01-15', '2026-01-15T17:30:00.000Z'],
		]);
	});

	it('closes a night shift with a sign-out after midnight; the record keeps its sign-in date', async () => {
		const user = await newUser();
		await signIn(user.id, gmt('2026-01-16T22:00:00'));
		expect((await todayStatus(user.id, gmt('2026-01-17T05:00:00'))).signedIn).toBe(true);
		const result = await signOut(user.id, gmt('2026-01-17T06:00:00'));
		expect(result.outcome).toBe('applied');
		const rows = await SignInRecord.findAll({ where: { userId: user.id } });
		expect(rows.map((r) => [r.date, r.signInAt.toISOString(), r.signOutAt?.toISOString()])).toEqual([
			['2026-01-16', '2026-01-16T22:00:00.000Z', '2026-01-17T06:00:00.000Z'],
		]);
	});

	it('does not close a record older than the maximum shift, a setting', async () => {
		const user = await newUser();
		await setSetting('maxShiftHours', '8');
		try {
			await signIn(user.id, gmt('2026-01-18T20:00:00'));
			const late = await signOut(user.id, gmt('2026-01-19T05:00:00'));
			expect(late.outcome).toBe('no-op');
			expect(late.message).toBe('You were not signed in, so there was nothing to sign out of.');
			expect((await SignInRecord.findOne({ where: { userId: user.id } }))!.signOutAt).toBeNull();
		} finally {
			await setSetting('maxShiftHours', '16');
		}
	});

	it('keeps the milliseconds of facts, so taps within one second stay in their order', async () => {
		const user = await newUser();
		await signIn(user.id, gmt('2026-01-20T09:00:00.100'));
		await signOut(user.id, gmt('2026-01-20T09:00:00.200'));
		expect((await signIn(user.id, gmt('2026-01-20T09:00:00.300'))).outcome).toBe('applied');
		expect((await signOut(user.id, gmt('2026-01-20T09:00:00.400'))).outcome).toBe('applied');
		expect((await signOut(user.id, gmt('2026-01-20T09:00:00.500'))).outcome).toBe('no-op');
		const rows = await SignInRecord.findAll({ where: { userId: user.id }, order: [['signInAt', 'ASC']] });
		expect(rows.map((r) => [r.signInAt.toISOString(), r.signOutAt?.toISOString()])).toEqual([
			['2026-01-20T09:00:00.100Z', '2026-01-20T09:00:00.200Z'],
			['2026-01-20T09:00:00.300Z', '2026-01-20T09:00:00.400Z'],
		]);
	});

	it('treats signing out while out as a no-op', async () => {
		const user = await newUser();
		const result = await signOut(user.id, gmt('2026-01-16T17:00:00'));
		expect(result.outcome).toBe('no-op');
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(0);
		expect(await AuditRecord.count({ where: { at: gmt('2026-01-16T17:00:00') } })).toBe(0);
	});

	it('dates a record by the building-local date, not the UTC date', async () => {
		const user = await newUser();
		// 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
		const result = await signIn(user.id, new Date('2026-06-30T23:30:00Z'));
		expect(result.status).toMatchObject({ date: '2026-07-01', sinceTime: '00:30' });
		const record = await SignInRecord.findOne({ where: { userId: user.id } });
		expect(record!.date).toBe('2026-07-01');
	});

	it('refuses a form rendered for another date and changes nothing', async () => {
		const user = await newUser();
		await expect(signIn(user.id, gmt('2026-01-20T08:00:00'), { renderedDate: '2026-01-19' })).rejects.toMatchObject({
			code: 'wrong-date',
			message: 'Sorry, you attempted to sign in for the wrong date.',
		});
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(0);
		const ok = await signIn(user.id, gmt('2026-01-20T08:00:00'), { renderedDate: '2026-01-20' });
		expect(ok.outcome).toBe('applied');
	});

	it('answers a repeated action id with its first outcome and changes nothing', async () => {
		const user = await newUser();
		const actionId = randomUUID();
		const first = await signIn(user.id, gmt('2026-01-21T08:00:00'), { actionId });
		await signOut(user.id, gmt('2026-01-21T12:00:00'));
		const repeat = await signIn(user.id, gmt('2026-01-21T12:05:00'), { actionId });
		expect(first.outcome).toBe('applied');
		expect(repeat).toMatchObject({ outcome: 'duplicate', firstOutcome: 'applied' });
		expect(repeat.status.signedIn).toBe(false);
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(1);
		expect(await Action.count({ where: { id: actionId } })).toBe(1);
	});

	it('records a no-op in the ledger too, so its repeat is a no-op duplicate', async () => {
		const user = await newUser();
		const actionId = randomUUID();
		await signOut(user.id, gmt('2026-01-22T08:00:00'), { actionId });
		const ledger = await Action.findByPk(actionId);
		expect(ledger).toMatchObject({ userId: user.id, kind: 'sign-out', outcome: 'no-op' });
		const repeat = await signOut(user.id, gmt('2026-01-22T08:01:00'), { actionId });
		expect(repeat).toMatchObject({ outcome: 'duplicate', firstOutcome: 'no-op' });
	});

	it('applies the same action delivered twice at once only once', async () => {
		const user = await newUser();
		const actionId = randomUUID();
		const at = gmt('2026-01-23T08:00:00');
		const results = await Promise.all([signIn(user.id, at, { actionId }), signIn(user.id, at, { actionId })]);
		expect(results.map((r) => r.outcome).sort()).toEqual(['applied', 'duplicate']);
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(1);
	});

	it('refuses an action id already used by someone else', async () => {
		const [alice, bob] = [await newUser(), await newUser()];
		const actionId = randomUUID();
		await signIn(alice.id, gmt('2026-01-26T08:00:00'), { actionId });
		await expect(signIn(bob.id, gmt('2026-01-26T08:00:00'), { actionId })).rejects.toMatchObject({ code: 'conflict' });
		expect(await SignInRecord.count({ where: { userId: bob.id } })).toBe(0);
	});

	it('announces each applied sign-in and sign-out once, and never a no-op or duplicate', async () => {
		const user = await newUser({ firstName: 'Eve', lastName: 'Events' });
		const seen: string[] = [];
		const off = [
			events.on('signed-in', (e) => void seen.push(`in:${e.firstName}:${e.date}`)),
			events.on('signed-out', (e) => void seen.push(`out:${e.firstName}:${e.date}`)),
		];
		const actionId = randomUUID();
		await signIn(user.id, gmt('2026-01-27T08:00:00'), { actionId });
		await signIn(user.id, gmt('2026-01-27T08:00:00'), { actionId });
		await signIn(user.id, gmt('2026-01-27T08:10:00'));
		await signOut(user.id, gmt('2026-01-27T17:00:00'));
		await vi.waitFor(() => expect(seen).toEqual(['in:Eve:2026-01-27', 'out:Eve:2026-01-27']));
		off.forEach((unsubscribe) => unsubscribe());
	});

	it('keeps the action when a listener fails', async () => {
		const user = await newUser();
		const delivered: AttendanceEvent[] = [];
		const off = [
			events.on('signed-in', () => {
				throw new Error('Slack is down');
			}),
			events.on('signed-in', async () => Promise.reject(new Error('so is email'))),
			events.on('signed-in', (e) => void delivered.push(e)),
		];
		const result = await signIn(user.id, gmt('2026-01-28T08:00:00'));
		expect(result.outcome).toBe('applied');
		await vi.waitFor(() => expect(delivered).toHaveLength(1));
		expect((await todayStatus(user.id, gmt('2026-01-28T09:00:00'))).signedIn).toBe(true);
		off.forEach((unsubscribe) => unsubscribe());
	});

	it('refuses an unknown user', async () => {
		await expect(signIn(987_654, gmt('2026-01-29T08:00:00'))).rejects.toMatchObject({ code: 'not-found' });
	});
});
