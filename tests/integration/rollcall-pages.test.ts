/**
 * The roll call's pages (issue 12): `/rollcall` and the printable report are
 * for marshals and admins only, and the report page shows the server's
 * report of a roll call run through `sync.push` as the phones send it.
 */
import { randomUUID } from 'node:crypto';
import { isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { expect, it } from 'vitest';
import { toSessionUser } from '../../server/api/context';
import type { User } from '../../server/db/models/people.model';
import { recordAttendance } from '../../server/domain/attendance/attendance';
import { pushBatch } from '../../server/domain/sync/push';
import type { RollCallActionInput } from '../../src/lib/contracts/rollcall-protocol';
import type { RollCallReportView } from '../../server/web/rollcall-report-view';
import { load as rollCallLoad } from '../../src/routes/rollcall/+page.server';
import { load as reportLoad } from '../../src/routes/rollcall/[id]/report/+page.server';
import { useTestDatabase } from './support/database';
import { newUser, webAudit } from './support/factories';

const db = await useTestDatabase();

function event(user: User | null, path: string, params: Record<string, string> = {}): RequestEvent {
	const url = new URL(`http://register.test${path}`);
	return { url, params, locals: { user: user ? toSessionUser(user) : null, sessionToken: null } } as unknown as RequestEvent;
}

async function statusOf(run: () => unknown): Promise<number> {
	try {
		await run();
	} catch (error) {
		if (isHttpError(error)) return error.status;
		if (isRedirect(error)) return error.status;
		throw error;
	}
	return 200;
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const action = (fields: Record<string, unknown>, at: Date) => ({ id: randomUUID(), clientAt: at.toISOString(), deviceId: 'phone-a', ...fields }) as RollCallActionInput;

db.describe(`roll call pages (${db.dialect})`, () => {
	it('refuses staff with 403 and sends strangers to log in, on both pages', async () => {
		const staff = await newUser({ role: 'staff' });
		const id = randomUUID();
		const report = (user: User | null) => () => (reportLoad as (e: RequestEvent) => unknown)(event(user, `/rollcall/${id}/report`, { id }));
		expect(await statusOf(() => (rollCallLoad as (e: RequestEvent) => unknown)(event(staff, '/rollcall')))).toBe(403);
		expect(await statusOf(report(staff))).toBe(403);
		expect(await statusOf(() => (rollCallLoad as (e: RequestEvent) => unknown)(event(null, '/rollcall')))).toBe(303);
		expect(await statusOf(report(null))).toBe(303);
	});

	it('gives a marshal the page (its list comes from the phone) and 404 for a roll call that does not exist', async () => {
		const marshal = await newUser({ role: 'marshal', firstName: 'Mo' });
		expect(await (rollCallLoad as (e: RequestEvent) => Promise<unknown>)(event(marshal, '/rollcall'))).toEqual({ marshal: { firstName: 'Mo' } });
		const unknown = randomUUID();
		expect(await statusOf(() => (reportLoad as (e: RequestEvent) => unknown)(event(marshal, `/rollcall/${unknown}/report`, { id: unknown })))).toBe(404);
		expect(await statusOf(() => (reportLoad as (e: RequestEvent) => unknown)(event(marshal, '/rollcall/nope/report', { id: 'nope' })))).toBe(404);
	});

	it('shows the report of a roll call two marshals ran, under either of its ids, with the superseded mark', async () => {
		const [ana, mo] = [await newUser({ role: 'marshal', firstName: 'Ana' }), await newUser({ role: 'admin', firstName: 'Mo' })];
		const evacuee = await newUser({ firstName: 'Eve', lastName: `Pages${Date.now()}` });
		await recordAttendance({ userId: evacuee.id, kind: 'sign-in', audit: webAudit, at: minutesAgo(30) });
		const [first, second] = [randomUUID(), randomUUID()];
		const request = { ip: null, userAgent: 'phone' };
		await pushBatch({ userId: ana.id, kioskCredential: null, request }, [
			action({ kind: 'rollcall-start', rollCallId: first, drill: true }, minutesAgo(5)),
			action({ kind: 'rollcall-mark', rollCallId: first, subjectId: evacuee.id, status: 'missing' }, minutesAgo(4)),
		]);
		await pushBatch({ userId: mo.id, kioskCredential: null, request }, [
			action({ kind: 'rollcall-start', rollCallId: second, drill: false }, minutesAgo(5)),
			action({ kind: 'rollcall-mark', rollCallId: second, subjectId: evacuee.id, status: 'safe' }, minutesAgo(3)),
			action({ kind: 'rollcall-end', rollCallId: second }, minutesAgo(1)),
		]);
		for (const id of [first, second]) {
			const { view } = await (reportLoad as (e: RequestEvent) => Promise<{ view: RollCallReportView }>)(event(ana, `/rollcall/${id}/report`, { id }));
			expect(view.kind).toBe('Drill');
			expect(view.startedBy).toBe('Ana');
			expect(view.ended).not.toBeNull();
			const eve = view.people.find((p) => p.userId === evacuee.id);
			expect(eve).toMatchObject({ status: 'Safe', markedBy: 'Mo' });
			const history = view.history.filter((m) => m.name === `Eve ${evacuee.lastName}`);
			expect(history.map((m) => [m.status, m.by, m.winning])).toEqual([
				['Missing', 'Ana', false],
				['Safe', 'Mo', true],
			]);
		}
	});
});
