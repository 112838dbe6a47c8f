import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { AuditRecord, SignInRecord } from '../../server/db/models/attendance.model';
import { addVisit } from '../../server/domain/attendance/added-visits';
import { recordAttendance, todayStatus } from '../../server/domain/attendance/attendance';
import { dailyReport } from '../../server/domain/attendance/report';
import { pushActions } from '../../server/domain/sync/sync';
import { isDomainError } from '../../server/domain/shared/errors';
import { visitForm } from '../../src/lib/contracts/reports';
import { useTestDatabase } from './support/database';
import { gmt, newUser, webAudit } from './support/factories';
import { actorFrom } from './support/people';

const db = await useTestDatabase();

/** In January London is on UTC: building-local and UTC times read the same. */
const now = gmt('2026-01-20T12:00:00');
const recordsOf = (userId: number) => SignInRecord.findAll({ where: { userId }, order: [['signInAt', 'ASC']] });
const span = (r: SignInRecord) => `${r.date} ${r.signInAt.toISOString().slice(11, 16)}–${r.signOutAt ? r.signOutAt.toISOString().slice(11, 16) : 'open'}`;
const visit = (date: string, signIn: string, signOut = '', reason = 'forgot their phone') => visitForm.parse({ date, signIn, signOut, reason });

async function refusal(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		if (isDomainError(error)) return error.message;
		throw error;
	}
	throw new Error('the visit was added');
}

db.describe(`adding a visit (${db.dialect})`, () => {
	it('records a visit no device recorded, audited with its reason, and the day report shows who added it', async () => {
		const ada = await newUser({ firstName: 'Ada', role: 'admin' });
		const bo = await newUser({ firstName: 'Bo' });
		const added = await addVisit(actorFrom(ada), bo.id, visit('2026-01-12', '09:00', '12:30'), now);

		expect((await recordsOf(bo.id)).map(span)).toEqual(['2026-01-12 09:00–12:30']);
		expect(added).toMatchObject({ userId: bo.id, date: '2026-01-12', signInAt: gmt('2026-01-12T09:00:00'), signOutAt: gmt('2026-01-12T12:30:00') });
		const audit = await AuditRecord.findOne({ where: { action: 'visit-added', subjectId: bo.id } });
		expect(audit).toMatchObject({ actorId: ada.id, source: 'admin' });
		expect(JSON.parse(audit!.details!)).toEqual({ date: '2026-01-12', signInAt: '2026-01-12T09:00:00.000Z', signOutAt: '2026-01-12T12:30:00.000Z', reason: 'forgot their phone' });
		const person = (await dailyReport('2026-01-12')).people.find((p) => p.userId === bo.id)!;
		expect(person.records).toMatchObject([{ id: added.recordId, correction: { by: 'Ada', reason: 'forgot their phone' } }]);
	});

	it('leaves a visit open without a sign-out: the person is in now', async () => {
		const ada = await newUser({ role: 'admin' });
		const cy = await newUser();
		await addVisit(actorFrom(ada), cy.id, visit('2026-01-20', '08:15'), now);
		expect((await recordsOf(cy.id)).map(span)).toEqual(['2026-01-20 08:15–open']);
		expect(await todayStatus(cy.id, now)).toMatchObject({ signedIn: true, sinceTime: '08:15' });
	});

	it('outranks a device sign-out that arrives later from within the visit', async () => {
		const ada = await newUser({ role: 'admin' });
		const di = await newUser();
		await addVisit(actorFrom(ada), di.id, visit('2026-01-14', '08:00', '17:00'), now);
		const reply = await pushActions({ userId: di.id, request: { ip: null, userAgent: null } }, [{ id: randomUUID(), kind: 'sign-out', clientAt: '2026-01-14T12:00:00.000Z', deviceId: 'phone', seq: 1 }], now);
		expect(reply.results[0]!.outcome).not.toBe('rejected');
		expect((await recordsOf(di.id)).map(span)).toEqual(['2026-01-14 08:00–17:00']);
	});

	it('refuses a visit that ends before it begins, lies in the future or overlaps one they have, saving nothing', async () => {
		const ada = await newUser({ role: 'admin' });
		const ed = await newUser();
		await recordAttendance({ userId: ed.id, kind: 'sign-in', audit: webAudit, at: gmt('2026-01-15T09:00:00') });
		await recordAttendance({ userId: ed.id, kind: 'sign-out', audit: webAudit, at: gmt('2026-01-15T17:00:00') });
		const before = (await recordsOf(ed.id)).map(span);
		const actor = actorFrom(ada);

		expect(await refusal(addVisit(actor, ed.id, visit('2026-01-16', '12:00', '11:00'), now))).toBe('The sign-out must be after the sign-in.');
		expect(await refusal(addVisit(actor, ed.id, visit('2026-01-16', '12:00', '12:00'), now))).toBe('The sign-out must be after the sign-in.');
		expect(await refusal(addVisit(actor, ed.id, visit('2026-01-21', '09:00', '10:00'), now))).toBe('A visit cannot begin in the future.');
		expect(await refusal(addVisit(actor, ed.id, visit('2026-01-20', '11:00', '13:00'), now))).toMatch(/sign-out cannot be in the future/);
		expect(await refusal(addVisit(actor, ed.id, visit('2026-01-15', '07:00', '10:00'), now))).toMatch(/^That overlaps a visit they already have \(2026-01-15 09:00 to 17:00\)/);
		expect(await refusal(addVisit(actor, ed.id, visit('2026-01-15', '12:00'), now))).toMatch(/^That overlaps a visit/);
		expect(await refusal(addVisit(actor, 2_000_000, visit('2026-01-16', '09:00', '10:00'), now))).toBe('No such user.');
		expect(await refusal(addVisit(actor, ed.id, visit('0026-01-16', '09:00', '10:00'), now))).toBe('That is not a real date and time.');

		expect((await recordsOf(ed.id)).map(span)).toEqual(before);
		expect(await AuditRecord.count({ where: { action: 'visit-added', subjectId: ed.id } })).toBe(0);
		// Next to the visit they have, it is fine.
		await addVisit(actor, ed.id, visit('2026-01-15', '17:30', '18:00'), now);
		expect((await recordsOf(ed.id)).map(span)).toEqual([...before, '2026-01-15 17:30–18:00']);
	});

	it('refuses a form with a wrong time or no reason with a clear message', () => {
		const problem = (input: Record<string, string>) => visitForm.safeParse({ date: '2026-01-16', signIn: '09:00', signOut: '', reason: 'x', ...input }).error?.issues[0]?.message;
		expect(problem({ signIn: '25:00' })).toBe('The sign-in time must be a time written HH:MM.');
		expect(problem({ signOut: '9am' })).toBe('The sign-out time must be a time written HH:MM.');
		expect(problem({ date: '2026-02-30' })).toBe('The date must be a date written YYYY-MM-DD.');
		expect(problem({ reason: '  ' })).toBe('Give a reason for adding the visit.');
		expect(problem({})).toBeUndefined();
	});
});
