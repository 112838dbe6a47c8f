import { isHttpError, type RequestEvent } from '@sveltejs/kit';
import { expect, it } from 'vitest';
import { toSessionUser } from '../../server/api/context';
import type { User } from '../../server/db/models/people.model';
import { load as chartsPage } from '../../src/routes/admin/charts/+page.server';
import { DailyCount } from '../../server/db/models/operations.model';
import { recordAttendance } from '../../server/domain/attendance/attendance';
import { charts, dailyAttendance, occupancyThrough } from '../../server/domain/reports/charts';
import { chartsQuery } from '../../src/lib/contracts/reports';
import { useTestDatabase } from './support/database';
import { gmt, newUser, webAudit } from './support/factories';
import { countStatements } from './support/statements';

const db = await useTestDatabase();

/** In January and February London is on UTC: building-local and UTC times read the same. */
const act = (userId: number, kind: 'sign-in' | 'sign-out', at: string) => recordAttendance({ userId, kind, audit: webAudit, at: gmt(at) });

async function visit(userId: number, from: string, to: string | null) {
	await act(userId, 'sign-in', from);
	if (to) await act(userId, 'sign-out', to);
}

db.describe(`chart figures (${db.dialect})`, () => {
	it('counts distinct people in each quarter hour of a day, night shifts and open visits included, nothing for the future', async () => {
		const [ann, ben, cat, dan] = [await newUser(), await newUser(), await newUser(), await newUser()];
		await visit(ann.id, '2026-01-12T08:00:00', '2026-01-12T09:00:00');
		await visit(ben.id, '2026-01-12T08:10:00', '2026-01-12T08:20:00');
		await visit(ben.id, '2026-01-12T08:50:00', '2026-01-12T10:00:00');
		await visit(cat.id, '2026-01-11T22:00:00', '2026-01-12T02:00:00'); // a night shift from the day before
		await visit(dan.id, '2026-01-12T16:00:00', null); // still in
		await visit(ann.id, '2026-01-13T08:00:00', '2026-01-13T09:00:00'); // another day

		const slots = await occupancyThrough('2026-01-12', gmt('2026-01-12T18:07:00'));
		expect(slots).toHaveLength(96);
		const at = Object.fromEntries(slots.map((s) => [s.time, s.people]));
		expect(at).toMatchObject({
			'00:00': 1, '01:45': 1, '02:00': 0, '07:45': 0,
			'08:00': 2, '08:15': 2, '08:30': 1, '08:45': 2, '09:00': 1, '09:45': 1, '10:00': 0,
			'15:45': 0, '16:00': 1, '18:00': 1, '18:15': null, '23:45': null,
		});
		expect(slots.filter((s) => s.people !== null)).toHaveLength(73);
	});

	it('counts a past day with a visit left open as in until the day ends', async () => {
		const eve = await newUser();
		await visit(eve.id, '2026-01-20T09:00:00', null);
		const slots = await occupancyThrough('2026-01-20', gmt('2026-01-25T12:00:00'));
		expect(slots.filter((s) => s.people === 1).map((s) => s.time)).toEqual(slots.slice(36).map((s) => s.time));
		expect(slots.find((s) => s.time === '08:45')!.people).toBe(0);
	});

	it('gives people per day over the last weeks and the average per weekday, in a constant number of queries', async () => {
		// Four weeks ending Sunday 8 March 2026: Mondays are busiest.
		const people = await Promise.all(Array.from({ length: 4 }, () => newUser()));
		for (const monday of ['2026-02-09', '2026-02-16', '2026-02-23', '2026-03-02']) {
			for (const p of people.slice(0, 3)) await visit(p.id, `${monday}T09:00:00`, `${monday}T17:00:00`);
		}
		await visit(people[0]!.id, '2026-03-03T09:00:00', '2026-03-03T12:00:00');
		await visit(people[0]!.id, '2026-03-03T13:00:00', '2026-03-03T17:00:00'); // twice in a day: one person
		await visit(people[1]!.id, '2026-03-03T09:00:00', null);
		await visit(people[3]!.id, '2026-03-07T10:00:00', '2026-03-07T11:00:00');

		const now = gmt('2026-03-08T20:00:00');
		const { result, statements } = await countStatements(() => charts('2026-03-03', 4, now));
		expect(result.daily).toHaveLength(28);
		expect(result.daily[0]).toEqual({ date: '2026-02-09', people: 3 });
		expect(result.daily.filter((d) => d.people > 0)).toEqual([
			{ date: '2026-02-09', people: 3 },
			{ date: '2026-02-16', people: 3 },
			{ date: '2026-02-23', people: 3 },
			{ date: '2026-03-02', people: 3 },
			{ date: '2026-03-03', people: 2 },
			{ date: '2026-03-07', people: 1 },
		]);
		expect(result.weekdays).toEqual([
			{ weekday: 'Monday', days: 4, average: 3 },
			{ weekday: 'Tuesday', days: 4, average: 0.5 },
			{ weekday: 'Wednesday', days: 4, average: 0 },
			{ weekday: 'Thursday', days: 4, average: 0 },
			{ weekday: 'Friday', days: 4, average: 0 },
			{ weekday: 'Saturday', days: 4, average: 0.3 },
			{ weekday: 'Sunday', days: 4, average: 0 },
		]);
		expect(result.occupancy.find((s) => s.time === '12:30')!.people).toBe(1);
		expect(result.occupancy.find((s) => s.time === '13:00')!.people).toBe(2);

		// Ten times the people gives the same number of queries.
		for (const p of await Promise.all(Array.from({ length: 10 }, () => newUser()))) await visit(p.id, '2026-03-03T09:00:00', '2026-03-03T10:00:00');
		const again = await countStatements(() => charts('2026-03-03', 4, now));
		expect(again.result.daily.find((d) => d.date === '2026-03-03')!.people).toBe(12);
		expect(again.statements.length).toBe(statements.length);
		expect(statements.length).toBeLessThanOrEqual(3);
	});

	it('reaches back into dates whose records retention deleted, through their daily counts', async () => {
		// April 2025: long gone, only its figures kept; a date with records again counts from its records.
		await DailyCount.bulkCreate([
			{ date: '2025-04-07', distinctUsers: 7, notSignedOut: 1 },
			{ date: '2025-04-08', distinctUsers: 5, notSignedOut: 0 },
		]);
		await visit((await newUser()).id, '2025-04-08T09:00:00', '2025-04-08T17:00:00');
		const days = await dailyAttendance(1, '2025-04-13');
		expect(days.map((d) => d.people)).toEqual([7, 1, 0, 0, 0, 0, 0]);
	});

	it('refuses a chart query with a date out of reach or weeks out of range, with a clear message', () => {
		const problem = (input: Record<string, string>) => chartsQuery.safeParse({ date: '2026-03-03', weeks: '8', ...input }).error?.issues[0]?.message;
		expect(problem({ date: '9999-12-31' })).toBe('Choose a date from 2000 to 2100.');
		expect(problem({ date: '2026-02-30' })).toBe('The date must be a date written YYYY-MM-DD.');
		expect(problem({ weeks: '53' })).toBe('The weeks must be a number from 1 to 52.');
		expect(problem({ weeks: 'many' })).toBe('The weeks must be a number from 1 to 52.');
		expect(problem({})).toBeUndefined();
	});

	function pageAs(user: User, query: string) {
		const url = new URL(`http://register.test/admin/charts${query}`);
		return chartsPage({ url, locals: { user: toSessionUser(user), sessionToken: null } } as unknown as Parameters<typeof chartsPage>[0]);
	}

	it('refuses the charts page to staff and marshals, and gives an admin the figures or a clear problem', async () => {
		for (const role of ['staff', 'marshal'] as const) {
			const status = await Promise.resolve(pageAs(await newUser({ role }), '')).then(() => 200, (e: unknown) => (isHttpError(e) ? e.status : 500));
			expect({ role, status }).toEqual({ role, status: 403 });
		}
		const admin = await newUser({ role: 'admin' });
		const shown = (await pageAs(admin, '?date=2026-03-03&weeks=4')) as { error: string | null; charts: { occupancy: { title: string; slots: unknown[] } } };
		expect(shown.error).toBeNull();
		expect(shown.charts.occupancy.title).toBe('Occupancy on Tuesday 3 March');
		expect(shown.charts.occupancy.slots).toHaveLength(96);
		expect(((await pageAs(admin, '?weeks=99')) as { error: string | null }).error).toBe('The weeks must be a number from 1 to 52.');
	});
});
