import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { AuditRecord, SignInRecord } from '../../server/db/models/attendance.model';
import { recordAttendance } from '../../server/domain/attendance/attendance';
import { correctRecord } from '../../server/domain/attendance/corrections';
import { dailyReport, personHistory, rangeReport } from '../../server/domain/attendance/report';
import { pushActions } from '../../server/domain/sync/sync';
import { isDomainError } from '../../server/domain/shared/errors';
import { toLegacyReport } from '../../server/legacy/report-json';
import { useTestDatabase } from './support/database';
import { gmt, newUser, webAudit } from './support/factories';
import { actorFrom } from './support/people';
import { countStatements } from './support/statements';

const db = await useTestDatabase();

/** In January London is on UTC: building-local and UTC times read the same. */
const act = (userId: number, kind: 'sign-in' | 'sign-out', at: string) => recordAttendance({ userId, kind, audit: webAudit, at: gmt(at) });
const recordsOf = (userId: number) => SignInRecord.findAll({ where: { userId }, order: [['signInAt', 'ASC']] });
const span = (r: SignInRecord) => `${r.date} ${r.signInAt.toISOString().slice(11, 16)}–${r.signOutAt ? r.signOutAt.toISOString().slice(11, 16) : 'open'}`;
const now = gmt('2026-01-20T12:00:00');

async function refusal(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		if (isDomainError(error)) return error.message;
		throw error;
	}
	throw new Error('the correction was accepted');
}

db.describe(`corrections (${db.dialect})`, () => {
	it('sets a missing sign-out, audited with before, after and reason, and the report says who corrected it', async () => {
		const ada = await newUser({ firstName: 'Ada', lastName: 'Admin', role: 'admin' });
		const bob = await newUser({ firstName: 'Bob', lastName: 'Forgot' });
		await act(bob.id, 'sign-in', '2026-01-12T08:00:00');
		const [record] = await recordsOf(bob.id);

		await correctRecord(actorFrom(ada), { recordId: record!.id, signIn: '2026-01-12T08:00', signOut: '2026-01-12T17:00', reason: 'forgot to sign out' }, now);

		expect((await recordsOf(bob.id)).map(span)).toEqual(['2026-01-12 08:00–17:00']);
		const audit = await AuditRecord.findOne({ where: { action: 'record-corrected', subjectId: bob.id } });
		expect(audit).toMatchObject({ actorId: ada.id, source: 'admin' });
		expect(JSON.parse(audit!.details!)).toMatchObject({
			reason: 'forgot to sign out',
			before: { signInAt: '2026-01-12T08:00:00.000Z', signOutAt: null },
			after: { signInAt: '2026-01-12T08:00:00.000Z', signOutAt: '2026-01-12T17:00:00.000Z' },
		});
		const report = await dailyReport('2026-01-12');
		expect(report.signedInCount).toBe(0);
		expect(report.people[0]!.records[0]!.correction).toEqual({ by: 'Ada', at: now, reason: 'forgot to sign out' });
		expect(toLegacyReport(report).users[0]).toMatchObject({ status: 'signed-out', records: [{ sign_in__timestamp: '2026-01-12T08:00:00.000Z', sign_out__timestamp: '2026-01-12T17:00:00.000Z' }] });
	});

	it('fixes a sign-in time, and the history and the day report agree', async () => {
		const ada = await newUser({ role: 'admin' });
		const cy = await newUser({ firstName: 'Cy' });
		await act(cy.id, 'sign-in', '2026-01-13T09:30:00');
		await act(cy.id, 'sign-out', '2026-01-13T17:00:00');
		const [record] = await recordsOf(cy.id);
		await correctRecord(actorFrom(ada), { recordId: record!.id, signIn: '2026-01-13T08:45', signOut: '', reason: 'tapped late' }, now);
		expect((await recordsOf(cy.id)).map(span)).toEqual(['2026-01-13 08:45–17:00']);
		const [day] = await personHistory(cy.id, '2026-01-01', '2026-01-31');
		const report = await dailyReport('2026-01-13');
		expect(day!.records.map((r) => [r.signInAt, r.signOutAt])).toEqual(report.people.find((p) => p.userId === cy.id)!.records.map((r) => [r.signInAt, r.signOutAt]));
		expect(day!.records[0]!.correction?.reason).toBe('tapped late');
	});

	it('outranks a device sign-out that arrives after the correction', async () => {
		const ada = await newUser({ role: 'admin' });
		const di = await newUser({ firstName: 'Di' });
		await act(di.id, 'sign-in', '2026-01-14T08:00:00');
		const [record] = await recordsOf(di.id);
		await correctRecord(actorFrom(ada), { recordId: record!.id, signIn: '2026-01-14T08:00', signOut: '2026-01-14T17:00', reason: 'left at five' }, now);
		// The phone was offline: its sign-out from 12:00 arrives now.
		const reply = await pushActions({ userId: di.id, request: { ip: null, userAgent: null } }, [{ id: randomUUID(), kind: 'sign-out', clientAt: '2026-01-14T12:00:00.000Z', deviceId: 'phone', seq: 1 }], now);
		expect(reply.results[0]!.outcome).not.toBe('rejected');
		expect((await recordsOf(di.id)).map(span)).toEqual(['2026-01-14 08:00–17:00']);
		// A later sign-in that day still opens a new record after the corrected one.
		await act(di.id, 'sign-in', '2026-01-14T18:00:00');
		expect((await recordsOf(di.id)).map(span)).toEqual(['2026-01-14 08:00–17:00', '2026-01-14 18:00–open']);
		const legacy = toLegacyReport(await dailyReport('2026-01-14')).users.find((u) => u.first_name === 'Di')!;
		expect(legacy.records.map((r) => r.sign_out__timestamp)).toEqual(['2026-01-14T17:00:00.000Z', null]);
	});

	it('refuses bad corrections with a clear message and changes nothing', async () => {
		const ada = await newUser({ role: 'admin' });
		const ed = await newUser();
		await act(ed.id, 'sign-in', '2026-01-15T08:00:00');
		const [record] = await recordsOf(ed.id);
		const base = { recordId: record!.id, signIn: '2026-01-15T08:00', reason: 'x' };
		expect(await refusal(correctRecord(actorFrom(ada), { ...base, signOut: '2026-01-15T07:00' }, now))).toBe('The sign-out must be after the sign-in.');
		expect(await refusal(correctRecord(actorFrom(ada), { ...base, signOut: '2026-01-25T07:00' }, now))).toBe('A correction cannot be in the future.');
		expect(await refusal(correctRecord(actorFrom(ada), { ...base, signOut: '' }, now))).toMatch(/Nothing to correct/);
		expect(await refusal(correctRecord(actorFrom(ada), { ...base, recordId: 2_000_000, signOut: '2026-01-15T09:00' }, now))).toMatch(/No such record/);
		expect((await recordsOf(ed.id)).map(span)).toEqual(['2026-01-15 08:00–open']);
		expect(await AuditRecord.count({ where: { action: 'record-corrected', subjectId: ed.id } })).toBe(0);
	});

	it('builds a range report with the same number of statements for 3 people and for 30', async () => {
		const counts: number[] = [];
		for (const people of [3, 27]) {
			const users = await Promise.all(Array.from({ length: people }, () => newUser()));
			for (const [i, u] of users.entries()) await act(u.id, 'sign-in', `2026-01-0${1 + (i % 5)}T09:00:00`);
			const { result, statements } = await countStatements(() => rangeReport('2026-01-01', '2026-01-07'));
			expect(result).toHaveLength(7);
			counts.push(statements.length);
		}
		expect(counts).toEqual([2, 2]);
		const days = await rangeReport('2026-01-01', '2026-01-07');
		expect(days.map((d) => d.people.length)).toEqual([7, 7, 6, 5, 5, 0, 0]);
	});
});
