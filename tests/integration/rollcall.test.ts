/**
 * The roll call's server side (issue 12): starts that join, marks merged by
 * event time with every mark kept, the self-report link, the report, and who
 * may do what. Actions go through `sync.push` as a marshal's phone sends them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { config, resetConfig } from '../../server/config';
import { ContactDetail, type User } from '../../server/db/models/people.model';
import { RollCall, RollCallMark, RollCallName } from '../../server/db/models/operations.model';
import { WebhookDelivery } from '../../server/db/models/notifications.model';
import { addEndpoint, removeEndpoint } from '../../server/domain/notifications/webhook-endpoints';
import { recordAttendance } from '../../server/domain/attendance/attendance';
import { pushBatch } from '../../server/domain/sync/push';
import { askEveryoneIfSafe, readSafeLink, reportSafe, safeToken } from '../../server/domain/rollcall/self-report';
import { evacuationSnapshot, rollCallReport } from '../../server/domain/rollcall/rollcall-views';
import { startRollCall } from '../../server/domain/rollcall/roll-calls';
import type { RollCallActionInput, RollCallStatus } from '../../src/lib/contracts/rollcall-protocol';
import { startSmtpFake, type RunningSmtpFake } from '../fakes/smtp.fake';
import { useTestDatabase } from './support/database';
import { newUser, webAudit } from './support/factories';
import { callerAs, trpcCode } from './support/people';
import { countStatements } from './support/statements';
import { kioskCaller, newPairedKiosk } from './support/kiosks';
import { actions as safeActions, load as safeLoad } from '../../src/routes/ok/[token]/+page.server';

const db = await useTestDatabase();
let smtp: RunningSmtpFake;

beforeAll(async () => {
	// Noon in the building, running: "an hour ago" is today whenever the suite runs, midnight included.
	vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-06-10T11:00:00Z'), shouldAdvanceTime: true });
	smtp = await startSmtpFake(0);
	resetConfig({ ...config(), smtp: { url: smtp.url, from: 'Building Register <register@example.org>' }, origin: 'https://register.test' });
});
afterAll(async () => {
	vi.useRealTimers();
	await smtp?.close();
});

const request = { ip: '198.51.100.20', userAgent: 'marshal-phone' };
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

function push(user: User | null, actions: RollCallActionInput[]) {
	return pushBatch({ userId: user?.id ?? null, kioskCredential: null, request }, actions);
}

const start = (rollCallId: string, at = minutesAgo(10), drill = false): RollCallActionInput => ({ id: randomUUID(), kind: 'rollcall-start', clientAt: at.toISOString(), deviceId: 'phone-a', rollCallId, drill });
const mark = (rollCallId: string, subjectId: number, status: RollCallStatus, at: Date, deviceId = 'phone-a'): RollCallActionInput => ({
	id: randomUUID(),
	kind: 'rollcall-mark',
	clientAt: at.toISOString(),
	deviceId,
	rollCallId,
	subjectId,
	status,
});

async function inTheBuilding(...names: string[]) {
	const people = [];
	for (const firstName of names) {
		const person = await newUser({ firstName, lastName: 'Evacuee' });
		await recordAttendance({ userId: person.id, kind: 'sign-in', audit: webAudit, at: minutesAgo(60) });
		people.push(person);
	}
	return people;
}

/** Every roll call ends, so the next test starts one of its own rather than joining. */
async function endAll() {
	await RollCall.update({ endedAt: new Date() }, { where: { endedAt: null } });
}

db.describe(`roll call (${db.dialect})`, () => {
	it('starts from who is in, joins a second start to the open roll call, and keeps the later mark of two marshals', async () => {
		await endAll();
		const marshalA = await newUser({ firstName: 'Mara', role: 'marshal' });
		const marshalB = await newUser({ firstName: 'Max', role: 'admin' });
		const [ann, bob] = await inTheBuilding('Ann', 'Bob');
		const left = await newUser({ firstName: 'Lee', lastName: 'Left' });
		await recordAttendance({ userId: left.id, kind: 'sign-in', audit: webAudit, at: minutesAgo(120) });
		await recordAttendance({ userId: left.id, kind: 'sign-out', audit: webAudit, at: minutesAgo(5) });

		// Both marshals started offline; A syncs first, B's start joins it.
		const idA = randomUUID();
		const idB = randomUUID();
		const startedAt = minutesAgo(9);
		const a = await push(marshalA, [start(idA, startedAt), mark(idA, ann!.id, 'safe', minutesAgo(8)), mark(idA, bob!.id, 'missing', minutesAgo(7))]);
		expect(a.results.map((r) => r.outcome)).toEqual(['applied', 'applied', 'applied']);
		const b = await push(marshalB, [start(idB, minutesAgo(9)), mark(idB, bob!.id, 'safe', minutesAgo(6), 'phone-b'), mark(idB, ann!.id, 'missing', minutesAgo(9), 'phone-b')]);
		expect(b.results.map((r) => r.outcome)).toEqual(['applied', 'applied', 'applied']);
		expect(await RollCallName.count({ where: { id: [idA, idB] } })).toBe(2);
		expect(new Set((await RollCallName.findAll({ where: { id: [idA, idB] } })).map((n) => n.rollCallId)).size).toBe(1);

		const report = await rollCallReport(idB);
		expect(report.rollCall.id).toBe(idA);
		expect(report.rollCall.ids.sort()).toEqual([idA, idB].sort());
		const statusOf = (userId: number) => report.people.find((p) => p.userId === userId);
		// Ann: A's "safe" (8 min ago) beats B's "missing" (9 min ago) that arrived later.
		expect(statusOf(ann!.id)).toMatchObject({ status: 'safe', markedBy: 'Mara', group: 'in' });
		// Bob: B's "safe" (6 min ago) beats A's "missing" (7 min ago).
		expect(statusOf(bob!.id)).toMatchObject({ status: 'safe', markedBy: 'Max' });
		expect(statusOf(left.id)).toMatchObject({ status: 'unaccounted', group: 'left-recently' });
		expect(report.history.filter((m) => m.userId === bob!.id).map((m) => [m.status, m.by])).toEqual([
			['missing', 'Mara'],
			['safe', 'Max'],
		]);
		expect(report.accountedForInMs).toBeNull();

		// The snapshot every phone keeps agrees.
		const snapshot = await evacuationSnapshot();
		expect(snapshot.rollCall?.id).toBe(idA);
		expect(snapshot.rollCall?.marks.find((m) => m.userId === bob!.id)).toMatchObject({ status: 'safe', by: 'Max' });

		// Lee turns out to have gone home: accounted for; then everyone is, and the time is the last mark's.
		const lastAt = minutesAgo(4);
		await push(marshalA, [mark(idA, left.id, 'absent', lastAt)]);
		expect((await rollCallReport(idA)).accountedForInMs).toBe(lastAt.getTime() - startedAt.getTime());
	});

	it('answers a resent start and mark as duplicates, records nothing twice, and sends the mark to webhooks once', async () => {
		await endAll();
		// An endpoint nobody listens on (port 9 is discard): the delivery is queued, then fails in the background.
		const endpoint = await addEndpoint(undefined, { url: 'http://127.0.0.1:9/hook', secret: 's'.repeat(40) });
		const marshal = await newUser({ firstName: 'Mo', role: 'marshal' });
		const [cy] = await inTheBuilding('Cy');
		const id = randomUUID();
		const batch = [start(id), mark(id, cy!.id, 'safe', minutesAgo(3))];
		await push(marshal, batch);
		await expect.poll(() => WebhookDelivery.count({ where: { endpointId: endpoint.id, eventType: 'roll-call-mark' } })).toBe(1);
		const queued = await WebhookDelivery.findOne({ where: { endpointId: endpoint.id } });
		expect(JSON.parse(queued!.payload)).toMatchObject({ type: 'roll-call-mark', data: { userId: cy!.id, status: 'safe', markedBy: marshal.id } });
		const again = await push(marshal, batch);
		expect(again.results.map((r) => r.outcome)).toEqual(['duplicate', 'duplicate']);
		expect(await RollCall.count({ where: { uuid: id } })).toBe(1);
		expect(await RollCallMark.count({ where: { id: batch[1]!.id } })).toBe(1);
		expect(await WebhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(1);
		await removeEndpoint(undefined, endpoint.id);
		const ended = await push(marshal, [{ id: randomUUID(), kind: 'rollcall-end', clientAt: new Date().toISOString(), deviceId: 'phone-a', rollCallId: id }]);
		expect(ended.results[0]!.outcome).toBe('applied');
		expect((await rollCallReport(id)).rollCall.endedAt).not.toBeNull();
	});

	it('refuses staff, strangers, unknown roll calls and unknown people, and changes nothing', async () => {
		await endAll();
		const staff = await newUser({ role: 'staff' });
		const id = randomUUID();
		expect((await push(staff, [start(id)])).results[0]).toMatchObject({ outcome: 'rejected', reason: 'not-a-marshal' });
		expect((await push(null, [start(id)])).results[0]).toMatchObject({ outcome: 'rejected', reason: 'unauthenticated' });
		expect(await RollCallName.count({ where: { id } })).toBe(0);
		const marshal = await newUser({ role: 'marshal' });
		expect((await push(marshal, [mark(randomUUID(), staff.id, 'safe', new Date())])).results[0]).toMatchObject({ outcome: 'rejected', reason: 'rollcall-unknown' });
		await push(marshal, [start(id)]);
		expect((await push(marshal, [mark(id, 99_999_999, 'safe', new Date())])).results[0]).toMatchObject({ outcome: 'rejected', reason: 'person-unknown' });
		expect(await trpcCode(callerAs(staff).rollcall.snapshot())).toBe('FORBIDDEN');
		expect(await trpcCode(callerAs(staff).rollcall.report({ id }))).toBe('FORBIDDEN');
		expect((await callerAs(marshal).rollcall.snapshot()).rollCall?.id).toBe(id);
	});

	it('asks everyone on the list by email with a link of their own that marks them safe once', async () => {
		await endAll();
		const marshal = await newUser({ firstName: 'Mia', role: 'marshal' });
		const [dee] = await inTheBuilding('Dee');
		const address = `dee-${randomUUID().slice(0, 8)}@example.org`;
		await ContactDetail.create({ method: 'email', value: address, userId: dee!.id });
		const id = randomUUID();
		await push(marshal, [start(id, minutesAgo(1), true)]);
		const call = (await RollCall.findOne({ where: { uuid: id } }))!;
		// The start asked in the background; ask again here to wait for the deliveries.
		const deliveries = await askEveryoneIfSafe(call.id);
		expect(deliveries.find((d) => d.userId === dee!.id)).toMatchObject({ channel: 'email', ok: true });
		const mail = smtp.captured().find((m) => m.to.includes(address))!;
		expect(mail.subject).toBe('Fire drill: are you safe?');
		const link = /https:\/\/register\.test\/ok\/(\S+)/.exec(mail.text)![1]!;
		expect(link).toBe(safeToken(call.id, dee!.id));

		// Opening the page (as a mail scanner would) marks nothing; pressing the button does, once.
		const page = (await (safeLoad as unknown as (e: unknown) => Promise<Record<string, unknown>>)({ params: { token: link } }))!;
		expect(page).toMatchObject({ valid: true, firstName: 'Dee', drill: true, ended: false });
		expect(await RollCallMark.count({ where: { userId: dee!.id } })).toBe(0);
		const press = () =>
			(safeActions.default as unknown as (e: unknown) => Promise<unknown>)({
				params: { token: link },
				request: new Request('https://register.test/ok/x', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' }),
			});
		expect(await press()).toMatchObject({ marked: true });
		await reportSafe(link);
		const report = await rollCallReport(id);
		expect(report.people.find((p) => p.userId === dee!.id)).toMatchObject({ status: 'safe', markedBy: 'self-report' });
		expect(report.history.filter((m) => m.userId === dee!.id)).toHaveLength(1);

		const forged = `${call.id}-${marshal.id}-${'0'.repeat(32)}`;
		await expect(readSafeLink(forged)).rejects.toThrow('This link is not valid');
		await expect(readSafeLink(link.replace(/-(\d+)-/, `-${marshal.id}-`))).rejects.toThrow('This link is not valid');
	});

	it('lets a kiosk start a roll call and people mark themselves safe there, and tells the kiosk through its roster and poll', async () => {
		await endAll();
		const kiosk = await newPairedKiosk();
		const { caller } = kioskCaller(kiosk.credential);
		expect(await caller.kiosk.rollCall()).toBeNull();
		const [eve] = await inTheBuilding('Eve');
		const id = randomUUID();
		const kioskPush = (actions: RollCallActionInput[]) => pushBatch({ userId: null, kioskCredential: kiosk.credential, request }, actions);
		const startedAt = minutesAgo(2);
		const started = await kioskPush([start(id, startedAt), mark(id, eve!.id, 'safe', minutesAgo(1), 'kiosk-1'), mark(id, eve!.id, 'missing', new Date(), 'kiosk-1')]);
		expect(started.results.map((r) => r.reason ?? r.outcome)).toEqual(['applied', 'applied', 'kiosk-not-allowed']);
		expect(await caller.kiosk.rollCall()).toEqual({ id, drill: false, startedAt: startedAt.toISOString() });
		expect((await caller.kiosk.roster({ waiting: 0 })).rollCall?.id).toBe(id);
		const report = await rollCallReport(id);
		expect(report.rollCall.startedBy).toBe('the kiosk');
		expect(report.people.find((p) => p.userId === eve!.id)).toMatchObject({ status: 'safe', markedBy: 'self-report' });
		// Without a paired kiosk's credential, the same actions are refused.
		expect((await pushBatch({ userId: null, kioskCredential: 'x'.repeat(43), request }, [mark(id, eve!.id, 'safe', new Date())])).results[0]).toMatchObject({ reason: 'unauthenticated' });
	});

	it('marks ten people of a batch with a constant number of statements each', async () => {
		await endAll();
		const marshal = await newUser({ role: 'marshal' });
		const people = await inTheBuilding(...Array.from({ length: 10 }, (_, i) => `Fay${i}`));
		const id = randomUUID();
		// Started directly: a start through sync.push asks everyone if they are safe in the background, which would be counted.
		await startRollCall({ rollCallId: id, drill: true, at: new Date(), byUserId: marshal.id });
		await push(marshal, [mark(id, people[0]!.id, 'missing', minutesAgo(1))]); // warm: settings and lookups cached as on a running server
		const counts = [];
		for (const size of [1, 10]) {
			const { statements } = await countStatements(() => push(marshal, people.slice(0, size).map((p) => mark(id, p.id, 'safe', new Date()))));
			counts.push(statements.length);
		}
		// Per batch: the caller, the roll call's name and row, the caller's own sign-in status for the reply; per mark: the person, one transaction
		// (begin, insert, lock, update, commit) and, after it, the webhook endpoints the mark goes out to.
		// One statement of slack in all: the settings cache (30 s) may refresh inside either window.
		expect(counts[1]! - counts[0]!).toBeLessThanOrEqual(9 * 7 + 1);
		expect(counts[0]!).toBeLessThanOrEqual(11 + 7 + 1);
	});
});
