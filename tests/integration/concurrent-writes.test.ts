import { QueryTypes } from 'sequelize';
import { expect, it } from 'vitest';
import { database } from '../../server/db/database';
import { SignInRecord } from '../../server/db/models/attendance.model';
import { RATE_LIMITS_TABLE, rateLimitStore } from '../../server/db/rate-limit-store';
import { SyncSqliteConnection } from '../../server/db/sqlite-sync-connection';
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

db.describe(`rate-limit counters among transactions (${db.dialect})`, () => {
	// On SQLite the counters once went through a second copy of SQLite (node-sqlite3 beside the writer's
	// better-sqlite3). Two copies in one process do not see each other's locks: their commits overwrote each
	// other in the WAL, and answered sign-ins and logins were lost (or the file was corrupted).
	it('keeps every counted point and every sign-in when both are written at once', async () => {
		const people = await Promise.all(Array.from({ length: 200 }, () => newUser()));
		const at = gmt('2026-02-04T09:00:00');
		const store = rateLimitStore(database());
		const window = { name: 'concurrency-test', points: 10_000, durationSeconds: 3600 };
		// Two streams side by side, so counter updates and sign-in transactions keep overlapping.
		const counting = (async () => {
			for (let i = 0; i < 600; i++) await store.consume(window, `key-${i % 10}`);
		})();
		const signingIn = (async () => {
			for (const p of people) {
				// A sign-in runs synchronously on the writer: let the counters' driver callbacks in between.
				await new Promise((resolve) => setImmediate(resolve));
				await recordAttendance({ userId: p.id, kind: 'sign-in', audit: webAudit, at });
			}
		})();
		const outcomes = await Promise.allSettled([counting, signingIn]);
		expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
		expect(await SignInRecord.count({ where: { date: '2026-02-04' } })).toBe(people.length);
		const [counted] = (await database().query(`SELECT SUM(points) AS points FROM ${RATE_LIMITS_TABLE} WHERE ${database().getQueryInterface().quoteIdentifier('key')} LIKE 'concurrency-test%'`, { type: QueryTypes.SELECT })) as { points: number | string }[];
		expect(Number(counted?.points)).toBe(600);
		if (db.dialect === 'sqlite') {
			expect(await database().query('PRAGMA integrity_check', { type: QueryTypes.SELECT })).toEqual([{ integrity_check: 'ok' }]);
			const opened = Object.values((database().connectionManager as unknown as { connections: Record<string, unknown> }).connections);
			expect(opened.length).toBeGreaterThanOrEqual(2);
			expect(opened.filter((connection) => !(connection instanceof SyncSqliteConnection))).toEqual([]);
		}
	});
});
