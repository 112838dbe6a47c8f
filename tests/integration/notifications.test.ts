/**
 * Reminders, "did not sign out" and retention, against the Twilio stand-in:
 * the reference's texts word for word, one failure stored and the rest
 * delivered, the person's own switch respected, the "I left at…" link
 * recording a correction (and a forged one refused), and retention deleting
 * what the reference deletes while the daily counts stay.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Action, AuditRecord, SignInRecord } from '../../server/db/models/attendance.model';
import { DailyCount, Delivery, JobRun } from '../../server/db/models/operations.model';
import { jobHistory } from '../../server/domain/notifications/job-history';
import { ContactDetail, User, UserSettings } from '../../server/db/models/people.model';
import { recordAttendance } from '../../server/domain/attendance/attendance';
import { flagUnclosedRecords, recordForLeftLink, recordLeftAt } from '../../server/domain/attendance/did-not-sign-out';
import { rangeReport } from '../../server/domain/attendance/report';
import { sendLeftNotices } from '../../server/domain/notifications/left-notices';
import { reminderRecipients, sendReminders } from '../../server/domain/notifications/reminders';
import { cleanOldRecords, retentionPreview } from '../../server/domain/retention/clean-old-records';
import { setReminders } from '../../server/domain/people/profile';
import { isDomainError } from '../../server/domain/shared/errors';
import { exportRows } from '../../server/domain/exports/exports';
import { TWILIO_REFUSED_NUMBER, type RunningTwilioFake } from '../fakes/twilio.fake';
import { useTestDatabase } from './support/database';
import { gmt, newUser, webAudit } from './support/factories';
import { reachablePerson, SITE, useTwilio } from './support/notify';

const db = await useTestDatabase();

let twilio: RunningTwilioFake;
beforeAll(async () => {
	twilio = await useTwilio();
});
afterAll(async () => {
	await twilio?.close();
});

const sign = (userId: number, kind: 'sign-in' | 'sign-out', local: string) => recordAttendance({ userId, kind, audit: webAudit, at: gmt(local) });
const textsTo = (number: string) => twilio.captured().filter((m) => m.to === number).map((m) => m.body);

async function refusal(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		if (isDomainError(error)) return error.message;
		throw error;
	}
	throw new Error('it was accepted');
}

db.describe(`reminders (${db.dialect})`, () => {
	const date = '2026-02-02';

	it('reaches everyone with an open record today with the exact texts; one refused number is stored as failed and the rest go on', async () => {
		const first = await reachablePerson({ firstName: 'Anna', lastName: 'First' });
		const second = await reachablePerson({ firstName: 'Bea', lastName: 'Second', mobile: TWILIO_REFUSED_NUMBER });
		const third = await reachablePerson({ firstName: 'Cal', lastName: 'Third' });
		const left = await reachablePerson({ firstName: 'Dan', lastName: 'Left' });
		const never = await reachablePerson({ firstName: 'Eve', lastName: 'NeverLoggedIn', loggedIn: false });
		for (const p of [first, second, third, left, never]) await sign(p.user.id, 'sign-in', `${date}T09:00:00`);
		await sign(left.user.id, 'sign-out', `${date}T09:30:00`);

		const outcome = await sendReminders({ template: 'reminder', jobRunId: null, now: gmt(`${date}T10:00:00`) });

		expect(outcome.recipients.map((r) => r.firstName)).toEqual(['Anna', 'Bea', 'Cal', 'Eve']);
		const morning = `Thank you for signing-in today. Please remember to sign-out every time you leave the office by visiting ${SITE}/`;
		expect(textsTo(first.mobile)).toEqual([morning]);
		expect(textsTo(third.mobile)).toEqual([morning]);
		expect(textsTo(left.mobile)).toEqual([]);
		// Only contact details that have been used to log in get reminders.
		expect(textsTo(never.mobile)).toEqual([]);
		const stored = await Delivery.findAll({ where: { kind: 'reminder', userId: [first.user.id, second.user.id, third.user.id] }, order: [['id', 'ASC']] });
		expect(stored.map((d) => [d.userId, d.channel, d.status])).toEqual([
			[first.user.id, 'sms', 'sent'],
			[second.user.id, 'sms', 'failed'],
			[third.user.id, 'sms', 'sent'],
		]);
		expect(stored[1]!.error).toMatch(/could not send/);

		await sendReminders({ template: 'reminder_pm', now: gmt(`${date}T16:00:00`) });
		expect(textsTo(first.mobile)[1]).toBe(`Hope you have had a good day today. Please remember to sign-out when you leave by visiting ${SITE}/`);
	});

	it('a person who turned reminders off in their profile gets none, and can turn them on again', async () => {
		const quiet = await reachablePerson({ firstName: 'Quinn', lastName: 'Quiet' });
		await sign(quiet.user.id, 'sign-in', '2026-02-03T09:00:00');
		await setReminders(quiet.user.id, false);
		expect((await UserSettings.findByPk(quiet.user.id))!.reminders).toBe(false);
		expect((await reminderRecipients('2026-02-03')).map((r) => r.userId)).not.toContain(quiet.user.id);
		await sendReminders({ template: 'reminder', now: gmt('2026-02-03T10:00:00') });
		expect(textsTo(quiet.mobile)).toEqual([]);

		await setReminders(quiet.user.id, true);
		await sendReminders({ template: 'reminder', now: gmt('2026-02-03T10:01:00') });
		expect(textsTo(quiet.mobile)).toHaveLength(1);
	});
});

db.describe(`job history for the admin (${db.dialect})`, () => {
	it('shows each run with what it sent and who it could not reach, and why', async () => {
		const date = '2026-02-04';
		const ok = await reachablePerson({ firstName: 'Olga', lastName: 'Reached' });
		const refused = await reachablePerson({ firstName: 'Rex', lastName: 'Refused' });
		twilio.refuse(refused.mobile);
		await Delivery.destroy({ where: {} });
		for (const p of [ok, refused]) await sign(p.user.id, 'sign-in', `${date}T09:00:00`);
		const run = await JobRun.create({ job: 'reminder', runKey: date, claimedBy: 'vitest', startedAt: gmt(`${date}T10:00:00`) });
		await sendReminders({ template: 'reminder', jobRunId: run.id, now: gmt(`${date}T10:00:00`) });
		const history = await jobHistory();
		expect(history.runs.find((r) => r.id === run.id)).toMatchObject({ job: 'reminder', date, sent: 1, failed: 1 });
		expect(history.failures).toEqual([expect.objectContaining({ runId: run.id, name: 'Rex Refused', channel: 'sms', address: refused.mobile, error: expect.stringMatching(/could not send/) })]);
	});
});

db.describe(`did not sign out (${db.dialect})`, () => {
	it('flags only records open past the maximum shift, without inventing a sign-out', async () => {
		const old = await reachablePerson({ firstName: 'Olive', lastName: 'Old' });
		const recent = await reachablePerson({ firstName: 'Rita', lastName: 'Recent' });
		await sign(old.user.id, 'sign-in', '2026-02-09T09:00:00');
		await sign(recent.user.id, 'sign-in', '2026-02-10T20:00:00');

		expect(await flagUnclosedRecords(gmt('2026-02-10T23:30:00'))).toBeGreaterThanOrEqual(1);
		const [oldRecord] = await SignInRecord.findAll({ where: { userId: old.user.id } });
		const [recentRecord] = await SignInRecord.findAll({ where: { userId: recent.user.id } });
		expect(oldRecord!.didNotSignOutAt).toEqual(gmt('2026-02-10T23:30:00'));
		expect(oldRecord!.signOutAt).toBeNull();
		expect(recentRecord!.didNotSignOutAt).toBeNull();
		// The reports say so.
		const [day9, day10] = await rangeReport('2026-02-09', '2026-02-10');
		expect(day9!.people.find((p) => p.userId === old.user.id)!.records[0]!.didNotSignOut).toBe(true);
		expect(day10!.people.find((p) => p.userId === recent.user.id)!.records[0]!.didNotSignOut).toBeUndefined();
	});

	it('the next morning sends a link once; the link records a correction the report shows', async () => {
		const ivy = await reachablePerson({ firstName: 'Ivy', lastName: 'Forgetful' });
		await sign(ivy.user.id, 'sign-in', '2026-02-16T08:15:00');
		await flagUnclosedRecords(gmt('2026-02-17T23:30:00'));
		const morning = gmt('2026-02-18T10:00:00');
		await sendLeftNotices(null, morning);
		await sendLeftNotices(null, morning);
		const [text, ...more] = textsTo(ivy.mobile);
		expect(more).toEqual([]);
		expect(text).toMatch(/^You did not sign out on Monday 16 February\. Tap the link to say when you left\.\nhttps:\/\/register\.example\.org\/left\/[\w-]+\.[\w-]+\.[\w-]+$/);
		const token = text!.split('/left/')[1]!;
		expect(await Delivery.count({ where: { kind: 'did-not-sign-out', userId: ivy.user.id, status: 'sent' } })).toBe(1);

		expect(await recordForLeftLink(token, morning)).toMatchObject({ userId: ivy.user.id, date: '2026-02-16', signInLocal: '2026-02-16T08:15' });
		await recordLeftAt(token, '2026-02-16T17:20', { ip: '203.0.113.50', userAgent: 'phone' }, morning);

		const [day] = await rangeReport('2026-02-16', '2026-02-16');
		const ivyRow = day!.people.find((p) => p.userId === ivy.user.id)!;
		expect(ivyRow.records[0]).toMatchObject({ signInAt: gmt('2026-02-16T08:15:00'), signOutAt: gmt('2026-02-16T17:20:00') });
		expect(ivyRow.records[0]!.correction).toMatchObject({ by: 'Ivy' });
		// Used once: the record has its sign-out now.
		expect(await refusal(recordLeftAt(token, '2026-02-16T18:00', { ip: null, userAgent: null }, morning))).toMatch(/already/);
	});

	it('refuses a forged, altered, expired or other-purpose link', async () => {
		const max = await reachablePerson({ firstName: 'Max', lastName: 'Forger' });
		await sign(max.user.id, 'sign-in', '2026-02-23T08:00:00');
		await flagUnclosedRecords(gmt('2026-02-24T23:30:00'));
		const morning = gmt('2026-02-25T10:00:00');
		await sendLeftNotices(null, morning);
		const token = textsTo(max.mobile)[0]!.split('/left/')[1]!;
		const [record] = await SignInRecord.findAll({ where: { userId: max.user.id } });

		const forged = await new SignJWT({ pur: 'left-at', rid: record!.id, sia: record!.signInAt.getTime() })
			.setProtectedHeader({ alg: 'HS256' })
			.setSubject(String(max.user.id))
			.setExpirationTime(Math.floor(morning.getTime() / 1000) + 3600)
			.sign(new TextEncoder().encode('a key the server never had, 32 chars'));
		const [header, payload, signature] = token.split('.') as [string, string, string];
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
		const altered = `${header}.${Buffer.from(JSON.stringify({ ...claims, rid: claims.rid + 1 })).toString('base64url')}.${signature}`;
		const invalid = /not valid or has expired/;
		expect(await refusal(recordForLeftLink(forged, morning))).toMatch(invalid);
		expect(await refusal(recordForLeftLink(altered, morning))).toMatch(invalid);
		expect(await refusal(recordForLeftLink(token, gmt('2026-03-05T10:00:00')))).toMatch(invalid);
		expect(await refusal(recordForLeftLink('not-a-token', morning))).toMatch(invalid);
		expect((await SignInRecord.findByPk(record!.id))!.signOutAt).toBeNull();
	});
});

db.describe(`retention (${db.dialect})`, () => {
	it('deletes old records, then people left with none who hold no role, then unreferenced audit stamps, keeping daily counts', async () => {
		// Only this test's days: the other tests' records would be old here too.
		await Action.destroy({ where: {} });
		await SignInRecord.destroy({ where: {} });
		const now = gmt('2026-06-30T03:00:00');
		const longAgo = gmt('2026-01-01T00:00:00');
		const gone = await newUser({ firstName: 'Gone', lastName: 'Staff' });
		const admin = await newUser({ firstName: 'Kept', lastName: 'Admin', role: 'admin' });
		const marshal = await newUser({ firstName: 'Kept', lastName: 'Marshal', role: 'marshal' });
		const recent = await newUser({ firstName: 'Recent', lastName: 'Staff' });
		const fresh = await newUser({ firstName: 'Fresh', lastName: 'NoRecordsYet' });
		await User.update({ createdAt: longAgo }, { where: { id: [gone.id, admin.id, marshal.id, recent.id] } });
		await ContactDetail.create({ method: 'email', value: `gone-${gone.id}@example.org`, userId: gone.id });
		for (const u of [gone, admin, marshal, recent]) await sign(u.id, 'sign-in', '2026-05-04T09:00:00');
		await sign(gone.id, 'sign-out', '2026-05-04T17:00:00');
		await sign(recent.id, 'sign-in', '2026-06-25T09:00:00');
		const oldAudits = (await SignInRecord.findAll({ where: { date: '2026-05-04' } })).map((r) => r.signInAuditId!);

		const preview = await retentionPreview(30, now);
		expect(preview).toMatchObject({ keptFrom: '2026-05-31', dates: 1, records: 4, users: 1 });
		expect(await DailyCount.count()).toBe(0);
		expect(await SignInRecord.count({ where: { date: '2026-05-04' } })).toBe(4);

		const counts = await cleanOldRecords(30, now);
		// The dry run said exactly what went.
		expect(counts).toEqual(preview);
		expect(await SignInRecord.count({ where: { date: '2026-05-04' } })).toBe(0);
		expect(await SignInRecord.count({ where: { userId: recent.id } })).toBe(1);
		const remaining = (await User.findAll({ where: { id: [gone.id, admin.id, marshal.id, recent.id, fresh.id] } })).map((u) => u.firstName + ' ' + u.lastName);
		expect(remaining.sort()).toEqual(['Fresh NoRecordsYet', 'Kept Admin', 'Kept Marshal', 'Recent Staff']);
		expect(await ContactDetail.count({ where: { userId: gone.id } })).toBe(0);
		expect(await AuditRecord.count({ where: { id: oldAudits } })).toBe(0);
		const kept = await DailyCount.findByPk('2026-05-04');
		expect(kept).toMatchObject({ distinctUsers: 4, notSignedOut: 3 });
		// The stats export still has the day.
		const stats = [];
		for await (const page of exportRows('stats', '2026-05-01', '2026-06-30')) stats.push(...page);
		expect(stats).toEqual([
			['2026-05-04', 4, 3],
			['2026-06-25', 1, 1],
		]);
	});
});
