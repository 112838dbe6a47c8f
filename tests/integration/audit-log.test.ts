import { expect, it } from 'vitest';
import { AuditRecord } from '../../server/db/models/attendance.model';
import { recordAttendance } from '../../server/domain/attendance/attendance';
import { setRole } from '../../server/domain/people/people-admin';
import type { AdminActor } from '../../server/domain/shared/admin-audit';
import { auditLogPage, auditLogQuery, type AuditLogQuery } from '../../server/domain/shared/audit-log';
import { updateSettings } from '../../server/domain/shared/settings';
import { useTestDatabase } from './support/database';
import { gmt, newUser, webAudit } from './support/factories';
import { countStatements } from './support/statements';

const db = await useTestDatabase();

const query = (input: Record<string, string>): AuditLogQuery => auditLogQuery.parse(input);

db.describe(`audit log (${db.dialect})`, () => {
	it('says who did what to whom, from where, for admin actions and for sign-ins', async () => {
		const boss = await newUser({ firstName: 'Astrid', lastName: 'Auditor', role: 'admin' });
		const sam = await newUser({ firstName: 'Samir', lastName: 'Subject' });
		const actor: AdminActor = { id: boss.id, request: { ip: '192.0.2.44', userAgent: 'Tablet Safari' } };
		await setRole(actor, sam.id, 'marshal');
		await recordAttendance({ userId: sam.id, kind: 'sign-in', audit: { ...webAudit, source: 'kiosk', deviceId: 'kiosk-7' } });

		const { entries } = await auditLogPage(query({ subject: 'samir subject' }));
		expect(entries.map((e) => [e.action, e.actor?.name, e.subject?.name, e.source])).toEqual([
			['sign-in', 'Samir Subject', 'Samir Subject', 'kiosk'],
			['role-changed', 'Astrid Auditor', 'Samir Subject', 'admin'],
		]);
		expect(entries[0]).toMatchObject({ deviceId: 'kiosk-7' });
		expect(entries[1]).toMatchObject({ ip: '192.0.2.44', userAgent: 'Tablet Safari', details: expect.objectContaining({ to: 'marshal' }) });
	});

	it('filters by actor, action, source and date range', async () => {
		const boss = await newUser({ firstName: 'Felix', lastName: 'Filterer', role: 'admin' });
		const actor: AdminActor = { id: boss.id, request: { ip: '192.0.2.1', userAgent: 'vitest' } };
		const other = await newUser({ firstName: 'Olga', lastName: 'Otherone' });
		await updateSettings(actor, { retentionDays: String(100 + (boss.id % 500)) });
		await recordAttendance({ userId: other.id, kind: 'sign-in', audit: webAudit, at: gmt('2026-01-15T09:00:00') });

		const byActor = await auditLogPage(query({ actor: 'felix filterer' }));
		expect(byActor.entries.map((e) => e.action)).toEqual(['setting-changed']);
		expect(byActor.entries[0]!.details).toMatchObject({ setting: 'retentionDays' });

		const settings = await auditLogPage(query({ action: 'setting-changed', source: 'admin' }));
		expect(settings.entries.every((e) => e.action === 'setting-changed')).toBe(true);
		expect(settings.entries.some((e) => e.actor?.id === boss.id)).toBe(true);

		const kioskOnly = await auditLogPage(query({ actor: 'olga otherone', source: 'kiosk' }));
		expect(kioskOnly.entries).toEqual([]);

		const nobody = await auditLogPage(query({ actor: 'no such person anywhere' }));
		expect(nobody).toEqual({ entries: [], next: null });
	});

	it('filters by building-local date range', async () => {
		const dana = await newUser({ firstName: 'Dana', lastName: 'Dated' });
		const at = (iso: string) => AuditRecord.create({ at: new Date(iso), ip: null, userAgent: null, source: 'cli', deviceId: null, actorId: dana.id, action: 'login-link-created', subjectId: dana.id, details: null });
		// London is on BST in July: 23:30 UTC on 1 July is 00:30 on 2 July there.
		await at('2025-07-01T22:30:00Z');
		await at('2025-07-01T23:30:00Z');
		await at('2025-07-02T22:59:00Z');
		await at('2025-07-02T23:00:00Z');
		const inRange = await auditLogPage(query({ actor: 'dana dated', from: '2025-07-02', to: '2025-07-02' }));
		expect(inRange.entries.map((e) => e.at)).toEqual(['2025-07-02T22:59:00.000Z', '2025-07-01T23:30:00.000Z']);
		expect(inRange.entries.every((e) => e.date === '2025-07-02')).toBe(true);
		expect(auditLogQuery.safeParse({ from: '2025-07-03', to: '2025-07-02' }).error?.issues[0]?.message).toBe('The first date must not be after the last.');
		expect(auditLogQuery.safeParse({ from: '2025-02-30' }).error?.issues[0]?.message).toBe('Dates are written YYYY-MM-DD.');
		expect(auditLogQuery.safeParse({ source: 'telepathy' }).success).toBe(false);
	});

	it('pages newest first by keyset with the same number of statements on every page', async () => {
		const pat = await newUser({ firstName: 'Paula', lastName: 'Pager' });
		const boss = await newUser({ firstName: 'Pete', lastName: 'Pagerboss', role: 'admin' });
		for (let i = 0; i < 7; i++) {
			await AuditRecord.create({ at: new Date(Date.UTC(2025, 0, 1, 9, i)), ip: null, userAgent: null, source: 'admin', deviceId: null, actorId: boss.id, action: 'login-link-created', subjectId: pat.id, details: JSON.stringify({ n: i }) });
		}
		const seen: number[] = [];
		const counts: number[] = [];
		let before: number | undefined;
		for (;;) {
			const { result, statements } = await countStatements(() => auditLogPage(query({ subject: 'paula pager', ...(before ? { before: String(before) } : {}) }), 3));
			counts.push(statements.length);
			seen.push(...result.entries.map((e) => e.details.n as number));
			if (!result.next) break;
			before = result.next;
		}
		expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0]);
		expect(counts.length).toBe(3);
		expect(new Set(counts).size).toBe(1);
	});
});
