import { expect, it } from 'vitest';
import { AuditRecord } from '../../server/db/models/attendance.model';
import { findSession, startSession } from '../../server/domain/identity/sessions';
import { issueBadges, revokeBadges } from '../../server/domain/kiosk/badges';
import { renamePerson, userDetail } from '../../server/domain/people/people-admin';
import { endSessionsOf, sessionsOf } from '../../server/domain/people/person-sessions';
import { useTestDatabase } from './support/database';
import { newUser } from './support/factories';
import { actorFrom, recordFor } from './support/people';

const db = await useTestDatabase();

db.describe(`the person page's devices and badge (${db.dialect})`, () => {
	it('logs a person out of one device, then everywhere, audited each time; a stale handle is refused', async () => {
		const ada = await newUser({ role: 'admin' });
		const bo = await newUser();
		const phone = await startSession(bo.id, 'Phone browser', new Date(Date.now() - 60_000));
		const laptop = await startSession(bo.id, 'Laptop browser');
		const tablet = await startSession(bo.id, 'Tablet browser', new Date(Date.now() - 120_000));
		const listed = await sessionsOf(bo.id);
		expect(listed.map((s) => s.userAgent)).toEqual(['Laptop browser', 'Phone browser', 'Tablet browser']);
		expect(new Set(listed.map((s) => s.handle)).size).toBe(3);

		expect(await endSessionsOf(actorFrom(ada), bo.id, listed[1]!.handle)).toBe(1);
		expect(await findSession(phone)).toBeNull();
		expect(await findSession(laptop)).not.toBeNull();
		await expect(endSessionsOf(actorFrom(ada), bo.id, listed[1]!.handle)).rejects.toMatchObject({ code: 'not-found' });

		expect(await endSessionsOf(actorFrom(ada), bo.id, null)).toBe(2);
		expect(await findSession(laptop)).toBeNull();
		expect(await findSession(tablet)).toBeNull();
		const audits = await AuditRecord.findAll({ where: { action: 'sessions-ended', subjectId: bo.id }, order: [['id', 'ASC']] });
		expect(audits.map((a) => JSON.parse(a.details!))).toEqual([{ ended: 1, all: false }, { ended: 2, all: true }]);
	});

	it("another person's session handle ends nothing", async () => {
		const ada = await newUser({ role: 'admin' });
		const [cy, di] = [await newUser(), await newUser()];
		const diToken = await startSession(di.id, 'Di browser');
		await startSession(cy.id, 'Cy browser');
		const [diSession] = await sessionsOf(di.id);
		await expect(endSessionsOf(actorFrom(ada), cy.id, diSession!.handle)).rejects.toMatchObject({ code: 'not-found' });
		expect(await findSession(diToken)).not.toBeNull();
	});

	it('shows the live badge and links each recent record by its id', async () => {
		const ada = await newUser({ role: 'admin' });
		const ed = await newUser();
		const record = await recordFor(ed.id, '2026-03-03');
		expect((await userDetail(ed.id)).badge).toBeNull();
		await issueBadges([ed.id], actorFrom(ada));
		const detail = await userDetail(ed.id);
		expect(detail.badge).not.toBeNull();
		expect(detail.records).toEqual([expect.objectContaining({ id: record.id, date: '2026-03-03' })]);
		await revokeBadges([ed.id], actorFrom(ada));
		expect((await userDetail(ed.id)).badge).toBeNull();
	});

	it('corrects a name, keeping the username, audited with before and after; the same name writes nothing', async () => {
		const ada = await newUser({ role: 'admin' });
		const fay = await newUser({ firstName: 'Fay', lastName: 'Smyth' });
		await renamePerson(actorFrom(ada), fay.id, { firstName: 'Fay', lastName: 'Smith' });
		await renamePerson(actorFrom(ada), fay.id, { firstName: 'Fay', lastName: 'Smith' });
		expect((await userDetail(fay.id)).user).toMatchObject({ firstName: 'Fay', lastName: 'Smith', username: fay.username });
		const audits = await AuditRecord.findAll({ where: { action: 'name-changed', subjectId: fay.id } });
		expect(audits.map((a) => JSON.parse(a.details!))).toEqual([{ from: { firstName: 'Fay', lastName: 'Smyth' }, to: { firstName: 'Fay', lastName: 'Smith' } }]);
		await expect(renamePerson(actorFrom(ada), 2_000_000, { firstName: 'No', lastName: 'One' })).rejects.toMatchObject({ code: 'not-found' });
	});
});
