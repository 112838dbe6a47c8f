import { expect, it } from 'vitest';
import { SignInRecord } from '../../server/db/models/attendance.model';
import { recordAttendance } from '../../server/domain/attendance/attendance';
import { findSession, startSession } from '../../server/domain/identity/sessions';
import { useTestDatabase } from './support/database';
import { gmt, newUser, webAudit } from './support/factories';

const db = await useTestDatabase();

db.describe(`concurrent writers (${db.dialect})`, () => {
	it('queues two hundred simultaneous sign-ins and answers every one', async () => {
		const people = await Promise.all(Array.from({ length: 200 }, () => newUser()));
		const at = gmt('2026-02-02T09:00:00');
		const outcomes = await Promise.allSettled(people.map((p) => recordAttendance({ userId: p.id, kind: 'sign-in', audit: webAudit, at })));
		expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
		expect(await SignInRecord.count({ where: { date: '2026-02-02' } })).toBe(200);
	});

	it('lets writes outside transactions (new sessions) run among the sign-ins without failing', async () => {
		const people = await Promise.all(Array.from({ length: 50 }, () => newUser()));
		const at = gmt('2026-02-03T09:00:00');
		const work = people.flatMap((p) => [
			recordAttendance({ userId: p.id, kind: 'sign-in', audit: webAudit, at }),
			startSession(p.id, 'vitest').then((token) => findSession(token)),
		]);
		const outcomes = await Promise.allSettled(work);
		expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
		expect(await SignInRecord.count({ where: { date: '2026-02-03' } })).toBe(50);
	});
});
