/**
 * The statements each hot path runs, counted: a test that fails when a path
 * grows. The budgets are the counts measured when they were set; lower them
 * when a path gets cheaper. Their speed is measured by `npm run bench`.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { dailyReport } from '../../server/domain/attendance/report';
import { recordAttendance, todayStatus } from '../../server/domain/attendance/attendance';
import { findSession, startSession } from '../../server/domain/identity/sessions';
import { getSetting, maxShiftMs } from '../../server/domain/shared/settings';
import { pushActions } from '../../server/domain/sync/sync';
import { appStatus } from '../../server/legacy/app-status';
import { config, resetConfig } from '../../server/config';
import { useTestDatabase } from './support/database';
import { newUser, webAudit } from './support/factories';
import { countStatements } from './support/statements';

const db = await useTestDatabase();

/** MySQL passes an audit row's id to the rows after it in a session variable: one `SET` more, one round trip fewer. */
const heldId = db.dialect === 'mysql' ? 1 : 0;

const budgets = {
	/** BEGIN, lock the person, read their facts and records, audit (MySQL: and its id kept), record, fact, COMMIT. */
	signIn: 7 + heldId,
	/** The ledger look-up for the batch, then one sign-in's transaction for all its actions. */
	syncBatch: 8 + heldId,
	/** The session with its person, the open records (settings come from the cache). */
	pageView: 2,
	/** Records, people, contacts: whatever the number of people. */
	report: 2,
	/** The mobile app's "enter": the sign-in alone, its status taken from the fold (no read after the write). */
	appStatusEnter: 7 + heldId,
};

/**
 * MySQL round trips: the BEGIN, the lock and the read go in one packet; the
 * audit row, the record, the fact and the COMMIT in another. SQLite's
 * statements make no round trips (its writer is in process).
 */
const roundTrips = {
	signIn: 2,
	/** The ledger look-up, then the sign-in's two. */
	syncBatch: 3,
};

db.describe(`statements per hot path (${db.dialect})`, () => {
	it(`signs in with at most ${budgets.signIn} statements`, async () => {
		const user = await newUser();
		await maxShiftMs(); // warm the settings cache, as any running server has
		const { statements, roundTrips: trips } = await countStatements(() => recordAttendance({ userId: user.id, kind: 'sign-in', audit: webAudit, actionId: randomUUID() }));
		expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(budgets.signIn);
		if (db.dialect === 'mysql') expect(trips, statements.join('\n')).toBeLessThanOrEqual(roundTrips.signIn);
	});

	it(`applies a sync batch of ten actions with at most ${budgets.syncBatch} statements`, async () => {
		const user = await newUser();
		await maxShiftMs();
		const start = Date.now() - 3_600_000;
		const actions = Array.from({ length: 10 }, (_, i) => ({
			id: randomUUID(),
			kind: i % 2 === 0 ? 'sign-in' : 'sign-out',
			clientAt: new Date(start + i * 60_000).toISOString(),
			deviceId: 'phone',
			seq: i + 1,
		}));
		const { result, statements, roundTrips: trips } = await countStatements(() => pushActions({ userId: user.id, request: { ip: null, userAgent: null } }, actions));
		expect(result.results.every((r) => r.outcome === 'applied')).toBe(true);
		expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(budgets.syncBatch);
		if (db.dialect === 'mysql') expect(trips, statements.join('\n')).toBeLessThanOrEqual(roundTrips.syncBatch);
	});

	it(`answers the mobile app's "enter" with at most ${budgets.appStatusEnter} statements`, async () => {
		const user = await newUser();
		await maxShiftMs();
		resetConfig({ ...config(), legacyApp: { ...config().legacyApp, jwtSecret: 'a-secret-for-the-statement-count-test' } });
		const { result, statements } = await countStatements(() => appStatus(user, { action: 'enter' }, { ...webAudit, source: 'app' }));
		expect(result.updated).toBe(true);
		expect(result.status.signedIn).toBe(true);
		expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(budgets.appStatusEnter);
	});

	it(`serves the staff page's data with at most ${budgets.pageView} statements`, async () => {
		const user = await newUser();
		const token = await startSession(user.id, 'vitest');
		await Promise.all([getSetting('declaration'), maxShiftMs()]);
		await findSession(token); // a fresh session does not roll its expiry
		const { statements } = await countStatements(async () => {
			const session = await findSession(token);
			return Promise.all([todayStatus(session!.user.id), getSetting('declaration'), maxShiftMs()]);
		});
		expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(budgets.pageView);
	});

	it(`builds the day report with ${budgets.report} statements for 5 people and for 40`, async () => {
		const at = new Date('2026-04-01T09:00:00Z');
		const counts: number[] = [];
		for (const people of [5, 35]) {
			const users = await Promise.all(Array.from({ length: people }, () => newUser()));
			for (const u of users) await recordAttendance({ userId: u.id, kind: 'sign-in', audit: webAudit, at });
			counts.push((await countStatements(() => dailyReport('2026-04-01'))).statements.length);
		}
		expect(counts).toEqual([budgets.report, budgets.report]);
	});
});
