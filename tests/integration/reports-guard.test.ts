/**
 * The reports, corrections and exports refuse everyone but admins: the export
 * download, the correction form action and the reports procedures, each
 * called directly (the hook's /admin refusal is a second wall, tested in
 * admin-guard.test.ts). An admin gets a clear 400 for a bad range.
 */
import { isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { expect, it } from 'vitest';
import { toSessionUser } from '../../server/api/context';
import { AuditRecord, SignInRecord } from '../../server/db/models/attendance.model';
import type { User } from '../../server/db/models/people.model';
import { GET as exportRoute } from '../../src/routes/admin/reports/export/+server';
import { actions as correctionActions } from '../../src/routes/admin/reports/records/[id]/+page.server';
import { useTestDatabase } from './support/database';
import { newUser, webAudit } from './support/factories';
import { recordAttendance } from '../../server/domain/attendance/attendance';
import { callerAs, recordFor, trpcCode } from './support/people';

const db = await useTestDatabase();

function eventAs(user: User | null, url: string, init?: RequestInit, params: Record<string, string> = {}): RequestEvent {
	const request = new Request(url, init);
	return {
		request,
		url: new URL(url),
		params,
		locals: { user: user ? toSessionUser(user) : null, sessionToken: null },
		getClientAddress: () => '198.51.100.4',
		cookies: { get: () => undefined, set() {}, delete() {} },
	} as unknown as RequestEvent;
}

async function statusOf(run: () => unknown): Promise<number> {
	try {
		const result = await run();
		return result instanceof Response ? result.status : 200;
	} catch (error) {
		if (isHttpError(error)) return error.status;
		if (isRedirect(error)) return error.status;
		throw error;
	}
}

const exportUrl = 'http://register.test/admin/reports/export?kind=visits&format=csv&from=2026-03-01&to=2026-03-31';

db.describe(`reports refusals (${db.dialect})`, () => {
	it('sends a stranger to log in and refuses staff and marshals the export download', async () => {
		expect(await statusOf(() => exportRoute(eventAs(null, exportUrl) as never))).toBe(303);
		for (const role of ['staff', 'marshal'] as const) {
			const someone = await newUser({ role });
			expect(await statusOf(() => exportRoute(eventAs(someone, exportUrl) as never))).toBe(403);
		}
	});

	it('refuses staff and marshals the correction form action, leaving the record and the audit log alone', async () => {
		const owner = await newUser();
		const record = await recordFor(owner.id);
		for (const role of ['staff', 'marshal'] as const) {
			const body = new URLSearchParams({ signIn: '2026-03-02T08:00', signOut: '2026-03-02T18:00', reason: 'not allowed' });
			const someone = await newUser({ role });
			const event = eventAs(someone, `http://register.test/admin/reports/records/${record.id}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, { id: String(record.id) });
			expect(await statusOf(() => correctionActions.default!(event as never))).toBe(403);
		}
		expect(await SignInRecord.findByPk(record.id)).toMatchObject({ signInAt: record.signInAt, signOutAt: record.signOutAt });
		expect(await AuditRecord.count({ where: { action: 'record-corrected' } })).toBe(0);
	});

	it('refuses staff and marshals every reports procedure', async () => {
		const owner = await newUser();
		const record = await recordFor(owner.id);
		for (const role of ['staff', 'marshal'] as const) {
			const caller = callerAs(await newUser({ role }));
			expect(await trpcCode(caller.admin.reports.day({ date: '2026-03-02' }))).toBe('FORBIDDEN');
			expect(await trpcCode(caller.admin.reports.range({ from: '2026-03-01', to: '2026-03-02' }))).toBe('FORBIDDEN');
			expect(await trpcCode(caller.admin.reports.person({ userId: owner.id, from: '2026-03-01', to: '2026-03-02' }))).toBe('FORBIDDEN');
			expect(await trpcCode(caller.admin.reports.correct({ recordId: record.id, signIn: '2026-03-02T08:00', signOut: '', reason: 'no' }))).toBe('FORBIDDEN');
		}
		expect(await AuditRecord.count({ where: { action: 'record-corrected' } })).toBe(0);
	});

	it('answers an admin 400 with the reason for a bad range, and streams a good one', async () => {
		const admin = await newUser({ role: 'admin' });
		const bad = exportUrl.replace('from=2026-03-01', 'from=2026-04-01');
		let message = '';
		try {
			await exportRoute(eventAs(admin, bad) as never);
		} catch (error) {
			if (!isHttpError(error)) throw error;
			expect(error.status).toBe(400);
			message = error.body.message;
		}
		expect(message).toBe('The first date must not be after the last date.');
		const empty = exportUrl.replaceAll('2026-03', '2025-03');
		const response = (await exportRoute(eventAs(admin, empty) as never)) as Response;
		expect(response.headers.get('content-disposition')).toBe('attachment; filename="visits-2025-03-01-to-2025-03-31.csv"');
		expect(await response.text()).toBe('user,date,first_sign_in,last_sign_out\n');
	});

	it('lets an admin correct through tRPC, answering the record before and after', async () => {
		const admin = await newUser({ role: 'admin' });
		const owner = await newUser();
		await recordAttendance({ userId: owner.id, kind: 'sign-in', audit: webAudit, at: new Date('2026-03-02T08:30:00Z') });
		await recordAttendance({ userId: owner.id, kind: 'sign-out', audit: webAudit, at: new Date('2026-03-02T17:00:00Z') });
		const record = (await SignInRecord.findOne({ where: { userId: owner.id } }))!;
		const result = await callerAs(admin).admin.reports.correct({ recordId: record.id, signIn: '2026-03-02T09:00', signOut: '2026-03-02T16:00', reason: 'left early' });
		expect(result.after).toEqual({ signInAt: '2026-03-02T09:00:00.000Z', signOutAt: '2026-03-02T16:00:00.000Z' });
		const [day] = await callerAs(admin).admin.reports.range({ from: '2026-03-02', to: '2026-03-02' });
		const records = day!.people.find((p) => p.userId === owner.id)!.records;
		expect(records.map((r) => [r.signOutAt, r.correction?.reason])).toEqual([['2026-03-02T16:00:00.000Z', 'left early']]);
	});
});
