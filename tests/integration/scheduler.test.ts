/**
 * The scheduler's guarantees across instances: two schedulers on one
 * database, ticking together through 30 simulated days, run each job exactly
 * once a day; a run left unfinished by a dead instance is finished by
 * another after the timeout, without messaging twice; a run missed while
 * every instance was down happens once when one comes back.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { SignInRecord } from '../../server/db/models/attendance.model';
import { Delivery, JobRun } from '../../server/db/models/operations.model';
import { recordAttendance } from '../../server/domain/attendance/attendance';
import { addDays, setClock } from '../../server/domain/shared/clock';
import { jobs } from '../../server/jobs/jobs';
import { Scheduler } from '../../server/jobs/scheduler';
import type { RunningTwilioFake } from '../fakes/twilio.fake';
import { useTestDatabase } from './support/database';
import { gmt, webAudit } from './support/factories';
import { reachablePerson, useTwilio } from './support/notify';

const db = await useTestDatabase();

let twilio: RunningTwilioFake;
let clock = gmt('2026-01-05T00:00:00');
/** Sets the simulated building time (January: London is on UTC). */
const at = (local: string) => (clock = gmt(local));

beforeAll(async () => {
	twilio = await useTwilio();
	setClock(() => clock);
});
afterAll(async () => {
	setClock(undefined);
	await twilio?.close();
});
afterEach(async () => {
	await JobRun.destroy({ where: {} });
	await Delivery.destroy({ where: {} });
});

const sign = (userId: number, kind: 'sign-in' | 'sign-out', local: string) => recordAttendance({ userId, kind, audit: webAudit, at: gmt(local) });

db.describe(`scheduler (${db.dialect})`, () => {
	it('two instances through 30 simulated days run each job exactly once a day', async () => {
		const { user } = await reachablePerson({ firstName: 'Dora', lastName: 'Daily' });
		const a = new Scheduler(jobs, { instance: 'instance-a' });
		const b = new Scheduler(jobs, { instance: 'instance-b' });
		const first = '2026-01-05';
		const days = 30;
		for (let i = 0; i < days; i++) {
			const date = addDays(first, i);
			for (const time of ['03:05', '09:00', '10:05', '16:05', '17:00', '23:35']) {
				at(`${date}T${time}:00`);
				if (time === '09:00') await sign(user.id, 'sign-in', `${date}T09:00:00`);
				// Every other day Dora forgets to sign out.
				else if (time === '17:00' && i % 2 === 0) await sign(user.id, 'sign-out', `${date}T17:00:00`);
				else await Promise.all([a.tick(), b.tick()]);
			}
		}
		const runs = await JobRun.findAll();
		expect(runs).toHaveLength(jobs.length * days);
		for (const job of jobs) {
			const ofJob = runs.filter((r) => r.job === job.name);
			expect(new Set(ofJob.map((r) => r.runKey)).size, job.name).toBe(days);
			expect(ofJob.every((r) => r.finishedAt !== null && r.error === null), job.name).toBe(true);
		}
		// Both instances did some of the work, and none of it twice.
		expect(new Set(runs.map((r) => r.claimedBy))).toEqual(new Set(['instance-a', 'instance-b']));
		const deliveries = await Delivery.findAll();
		const count = (kind: string) => deliveries.filter((d) => d.kind === kind).length;
		expect(count('reminder')).toBe(days);
		expect(count('reminder_pm')).toBe(days);
		// A record left open on an odd day is flagged the next evening and noticed the morning after.
		const forgotten = [...Array(days).keys()].filter((i) => i % 2 === 1 && i + 2 < days).length;
		expect(count('did-not-sign-out')).toBe(forgotten);
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(days);
		expect(twilio.captured().filter((m) => m.body.startsWith('Thank you for signing-in today.')).length).toBe(days);
	});

	it('a run claimed by an instance that died is finished by another after the timeout, without messaging twice', async () => {
		const date = '2026-03-02';
		const { user: reached } = await reachablePerson();
		const { user: waiting } = await reachablePerson();
		await sign(reached.id, 'sign-in', `${date}T08:30:00`);
		await sign(waiting.id, 'sign-in', `${date}T08:40:00`);
		// The dead instance claimed the morning reminder at 10:00 and reached one person before it died.
		const dead = await JobRun.create({ job: 'reminder', runKey: date, claimedBy: 'dead-instance', startedAt: gmt(`${date}T10:00:00`), heartbeatAt: gmt(`${date}T10:00:00`) });
		await Delivery.create({ kind: 'reminder', jobRunId: dead.id, userId: reached.id, channel: 'sms', address: 'x', status: 'sent' });
		const reminderOnly = jobs.filter((j) => j.name === 'reminder');
		const other = new Scheduler(reminderOnly, { instance: 'survivor', staleAfterMs: 10 * 60_000 });

		at(`${date}T10:05:00`);
		expect(await other.tick()).toEqual([]);
		expect((await JobRun.findByPk(dead.id))!.finishedAt).toBeNull();

		at(`${date}T10:11:00`);
		expect(await other.tick()).toEqual([`reminder:${date}`]);
		const run = (await JobRun.findByPk(dead.id))!;
		expect(run).toMatchObject({ claimedBy: 'survivor', error: null });
		expect(run.finishedAt).not.toBeNull();
		const deliveries = await Delivery.findAll({ where: { jobRunId: dead.id } });
		expect(deliveries.map((d) => d.userId).sort()).toEqual([reached.id, waiting.id].sort());
		expect(await JobRun.count()).toBe(1);
		// Once finished, nobody runs it again.
		at(`${date}T10:30:00`);
		expect(await new Scheduler(reminderOnly, { instance: 'late', staleAfterMs: 1 }).tick()).toEqual([]);
	});

	it('a run missed while every instance was down happens once when one comes back, and only the runs whose time has come', async () => {
		const date = '2026-03-03';
		const { user } = await reachablePerson();
		await sign(user.id, 'sign-in', `${date}T08:00:00`);
		at(`${date}T14:00:00`);
		const back = new Scheduler(jobs, { instance: 'back' });
		const ran = await back.tick();
		expect(ran.sort()).toEqual([`clean-old-records:${date}`, `did-not-sign-out-notices:${date}`, `reminder:${date}`].sort());
		expect(await back.tick()).toEqual([]);
		expect(await new Scheduler(jobs, { instance: 'another' }).tick()).toEqual([]);
		expect(await Delivery.count({ where: { kind: 'reminder', userId: user.id } })).toBe(1);
		expect(await Delivery.count({ where: { kind: 'reminder_pm' } })).toBe(0);

		// Back only at 17:00 the next day: the afternoon reminder goes, the morning one is past its moment.
		const next = '2026-03-04';
		await sign(user.id, 'sign-in', `${next}T08:00:00`);
		at(`${next}T17:00:00`);
		const later = new Scheduler(jobs, { instance: 'back-later' });
		expect((await later.tick()).sort()).toEqual([`clean-old-records:${next}`, `did-not-sign-out-notices:${next}`, `reminder_pm:${next}`].sort());
		expect(await Delivery.count({ where: { kind: 'reminder', userId: user.id } })).toBe(1);
		expect(await Delivery.count({ where: { kind: 'reminder_pm', userId: user.id } })).toBe(1);
	});

	it('reads the job times from settings at each tick, so a change needs no restart', async () => {
		const { setSetting } = await import('../../server/domain/shared/settings');
		const date = '2026-03-05';
		const reminderOnly = jobs.filter((j) => j.name === 'reminder');
		const s = new Scheduler(reminderOnly, { instance: 'settings' });
		await setSetting('reminderTime', '11:00');
		at(`${date}T10:30:00`);
		expect(await s.tick()).toEqual([]);
		await setSetting('reminderTime', '10:15');
		expect(await s.tick()).toEqual([`reminder:${date}`]);
		await setSetting('reminderTime', '10:00');
	});
});
