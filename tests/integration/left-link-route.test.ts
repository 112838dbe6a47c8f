/**
 * The "I left at…" page through its real SvelteKit load and form action:
 * opening the link changes nothing, the form records the sign-out, a
 * forged link is a 404, and a second use says there is nothing more to do.
 */
import { isActionFailure, isHttpError, type RequestEvent } from '@sveltejs/kit';
import { expect, it } from 'vitest';
import { SignInRecord } from '../../server/db/models/attendance.model';
import { recordAttendance } from '../../server/domain/attendance/attendance';
import { flagUnclosedRecords, leftAtPath } from '../../server/domain/attendance/did-not-sign-out';
import { actions, load } from '../../src/routes/left/[token]/+page.server';
import { useTestDatabase } from './support/database';
import { newUser, webAudit } from './support/factories';

const db = await useTestDatabase();

function event(token: string, body?: Record<string, string>): RequestEvent {
	const request = body
		? new Request(`http://register.test/left/${token}`, { method: 'POST', body: new URLSearchParams(body), headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'phone' } })
		: new Request(`http://register.test/left/${token}`);
	return { request, url: new URL(request.url), params: { token }, locals: { user: null, sessionToken: null }, getClientAddress: () => '203.0.113.9' } as unknown as RequestEvent;
}

const run = (token: string) => (load as unknown as (e: RequestEvent) => Promise<Record<string, unknown>>)(event(token));
const post = (token: string, leftAt: string) => (actions.default as unknown as (e: RequestEvent) => Promise<unknown>)(event(token, { leftAt }));

db.describe(`/left/<token> (${db.dialect})`, () => {
	it('opening changes nothing; the form records the sign-out; a second use has nothing to do', async () => {
		const uma = await newUser({ firstName: 'Uma' });
		// A day two days ago on the real clock: the page and the correction use it.
		const signedIn = new Date(Date.now() - 50 * 3_600_000);
		await recordAttendance({ userId: uma.id, kind: 'sign-in', audit: webAudit, at: signedIn });
		await flagUnclosedRecords(new Date());
		const [record] = await SignInRecord.findAll({ where: { userId: uma.id } });
		const token = (await leftAtPath(record!)).split('/left/')[1]!;

		const page = await run(token);
		expect(page).toMatchObject({ open: true, min: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/) });
		expect((await SignInRecord.findByPk(record!.id))!.signOutAt).toBeNull();

		const leftAt = new Date(signedIn.getTime() + 2 * 3_600_000);
		const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/London', dateStyle: 'short', timeStyle: 'short' }).format(leftAt).replace(' ', 'T');
		const answer = await post(token, local);
		expect(isActionFailure(answer)).toBe(false);
		expect(answer).toEqual({ saved: local.slice(11) });
		const after = (await SignInRecord.findByPk(record!.id))!;
		expect(after.signOutAt!.getTime()).toBe(Math.floor(leftAt.getTime() / 60_000) * 60_000);
		// Only the sign-out is set: the sign-in keeps its exact instant (seconds included), the record its flag.
		expect(after.signInAt.getTime()).toBe(record!.signInAt.getTime());
		expect(after.didNotSignOutAt).not.toBeNull();

		expect(await run(token)).toMatchObject({ open: false, message: expect.stringMatching(/nothing more to do/) });
		const again = await post(token, local);
		expect(isActionFailure(again) && again.status).toBe(409);
	});

	it('a forged link is a 404 and its form changes nothing', async () => {
		const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJwdXIiOiJsZWZ0LWF0IiwicmlkIjoxLCJzaWEiOjAsInN1YiI6IjEifQ.c2lnbmF0dXJl';
		const refusal = await run(forged).then(() => null, (e: unknown) => e);
		expect(isHttpError(refusal) && refusal.status).toBe(404);
		const answer = await post(forged, '2026-01-01T17:00');
		expect(isActionFailure(answer) && answer.status).toBe(404);
		const bad = await post(forged, 'soon');
		expect(isActionFailure(bad) && bad.status).toBe(400);
	});
});
