/**
 * Chat messages (Slack, Teams) and signed webhooks out, against a real HTTP
 * receiver on 127.0.0.1. Retries are driven by passing the time in, never
 * by waiting.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { resetConfig, config } from '../../server/config';
import { AuditRecord } from '../../server/db/models/attendance.model';
import { WebhookDelivery, WebhookEndpoint } from '../../server/db/models/notifications.model';
import { recordAttendance } from '../../server/domain/attendance/attendance';
import { correctRecord } from '../../server/domain/attendance/corrections';
import { SignInRecord } from '../../server/db/models/attendance.model';
import { announceInChat } from '../../server/domain/notifications/chat-announcements';
import { addEndpoint, listEndpoints, removeEndpoint } from '../../server/domain/notifications/webhook-endpoints';
import { attemptDelivery, deliveryLog, enqueueWebhookEvent, MAX_ATTEMPTS, processDueWebhooks, RETRY_DELAYS_MS, sendAgain } from '../../server/domain/notifications/webhook-deliveries';
import { webhookEvent } from '../../server/domain/notifications/webhook-events';
import { sendWebhooksFor } from '../../server/domain/notifications/webhook-worker';
import { events } from '../../server/domain/shared/events';
import { startWebhookReceiver, type RunningReceiver } from '../fakes/webhook-receiver.fake';
import { useTestDatabase } from './support/database';
import { gmt, newUser, webAudit } from './support/factories';
import { actorFrom, callerAs } from './support/people';
import { countStatements } from './support/statements';

const db = await useTestDatabase();
let receiver: RunningReceiver;

beforeAll(async () => {
	receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());

const signIn = (userId: number, at = new Date()) => recordAttendance({ userId, kind: 'sign-in', audit: webAudit, at });
const signOut = (userId: number, at = new Date()) => recordAttendance({ userId, kind: 'sign-out', audit: webAudit, at });
const later = (from: Date, ms: number) => new Date(from.getTime() + ms);

db.describe(`chat messages (${db.dialect})`, () => {
	it('tells every Slack and Teams webhook who came and went, with the head-count now', async () => {
		resetConfig({ ...config(), chat: { slack: [`${receiver.url}/slack/a`, `${receiver.url}/slack/b`], teams: [`${receiver.url}/teams`] } });
		receiver.clear();
		const off = announceInChat(events);
		const ada = await newUser({ firstName: 'Ada', lastName: 'Lovelace' });
		const alan = await newUser({ firstName: 'Alan', lastName: 'Turing' });
		await signIn(ada.id);
		await vi.waitFor(() => expect(receiver.captured()).toHaveLength(3));
		await signIn(alan.id);
		await vi.waitFor(() => expect(receiver.captured()).toHaveLength(6));
		await signOut(ada.id);
		await vi.waitFor(() => expect(receiver.captured()).toHaveLength(9));
		off();

		const slackTexts = receiver.captured().filter((r) => r.path === '/slack/a').map((r) => JSON.parse(r.text).text);
		expect(slackTexts).toEqual([
			'User Ada Lovelace signed in. There are now 1 users signed in.',
			'User Alan Turing signed in. There are now 2 users signed in.',
			'User Ada Lovelace signed out. There are now 1 users signed in.',
		]);
		expect(receiver.captured().filter((r) => r.path === '/slack/b')).toHaveLength(3);
		const teams = receiver.captured().filter((r) => r.path === '/teams').map((r) => JSON.parse(r.text));
		expect(teams[2]).toEqual({
			type: 'message',
			attachments: [
				{
					contentType: 'application/vnd.microsoft.card.adaptive',
					contentUrl: null,
					content: {
						$schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
						type: 'AdaptiveCard',
						version: '1.4',
						body: [{ type: 'TextBlock', text: 'User Ada Lovelace signed out. There are now 1 users signed in.', wrap: true }],
					},
				},
			],
		});
		await signOut(alan.id);
	});

	it('says nothing about an action that arrives late from an offline device', async () => {
		resetConfig({ ...config(), chat: { slack: [`${receiver.url}/slack/late`], teams: [`${receiver.url}/teams/late`] } });
		receiver.clear();
		const heard: string[] = [];
		const off = [announceInChat(events), events.on('signed-in', (e) => void heard.push(`${e.realtime}`))];
		const grace = await newUser({ firstName: 'Grace', lastName: 'Hopper' });
		await signIn(grace.id, new Date(Date.now() - 3 * 3600_000));
		await vi.waitFor(() => expect(heard).toEqual(['false']));
		// The listeners have settled (emit awaits them): a message would have been captured by now.
		await new Promise((resolve) => setImmediate(resolve));
		expect(receiver.captured()).toEqual([]);
		off.forEach((f) => f());
		await signOut(grace.id);
	});

	it('keeps the sign-in when a chat webhook fails', async () => {
		resetConfig({ ...config(), chat: { slack: [`${receiver.url}/slack/down`, 'http://127.0.0.1:9/nobody'], teams: [] } });
		receiver.answer('/slack/down', 500);
		const off = announceInChat(events);
		const user = await newUser();
		const result = await signIn(user.id);
		expect(result.outcome).toBe('applied');
		await vi.waitFor(() => expect(receiver.captured().some((r) => r.path === '/slack/down')).toBe(true));
		off();
		await signOut(user.id);
	});
});

db.describe(`webhooks out (${db.dialect})`, () => {
	it('refuses a bad URL or a short secret with a clear message, saving nothing', async () => {
		const admin = await newUser({ role: 'admin' });
		const before = await listEndpoints();
		await expect(addEndpoint(actorFrom(admin), { url: 'ftp://example.org/hook' })).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('https://') });
		await expect(addEndpoint(actorFrom(admin), { url: 'http://example.org/hook' })).rejects.toMatchObject({ message: expect.stringContaining('https://') });
		await expect(addEndpoint(actorFrom(admin), { url: 'not a url' })).rejects.toMatchObject({ message: expect.stringContaining('not a URL') });
		await expect(addEndpoint(actorFrom(admin), { url: 'https://example.org/hook', secret: 'too-short' })).rejects.toMatchObject({ field: 'secret', message: expect.stringContaining('32') });
		expect(await listEndpoints()).toEqual(before);
		expect(await AuditRecord.count({ where: { actorId: admin.id } })).toBe(0);
	});

	it('signs every change with the secret, generated and shown once, and audits the change', async () => {
		const admin = await newUser({ role: 'admin' });
		const endpoint = await addEndpoint(actorFrom(admin), { url: `${receiver.url}/hooks/signed` });
		expect(endpoint.secret).toMatch(/^[0-9a-f]{64}$/);
		expect(await listEndpoints()).toContainEqual({ id: endpoint.id, url: `${receiver.url}/hooks/signed`, createdAt: expect.any(Date) });
		expect(JSON.stringify(await listEndpoints())).not.toContain(endpoint.secret);
		expect(await AuditRecord.findOne({ where: { actorId: admin.id, action: 'webhook-added' } })).not.toBeNull();
		receiver.expectSecret('/hooks/signed', endpoint.secret);

		const off = sendWebhooksFor(events);
		const person = await newUser({ firstName: 'Kath', lastName: 'Johnson' });
		await signIn(person.id);
		await signOut(person.id);
		await vi.waitFor(async () => expect((await WebhookDelivery.findAll({ where: { endpointId: endpoint.id, status: 'delivered' } })).length).toBe(2));
		off();
		const received = receiver.captured().filter((r) => r.path === '/hooks/signed');
		expect(received.map((r) => r.signatureValid)).toEqual([true, true]);
		expect(received.map((r) => r.headers['x-register-signature'])).toEqual([expect.stringMatching(/^t=\d+,v1=[0-9a-f]{64}$/), expect.any(String)]);
		const bodies = received.map((r) => JSON.parse(r.text));
		expect(bodies.map((b) => b.type).sort()).toEqual(['sign-in', 'sign-out']);
		expect(bodies.find((b) => b.type === 'sign-in')).toMatchObject({ id: expect.any(String), data: { userId: person.id, firstName: 'Kath', lastName: 'Johnson', realtime: true } });

		// A forged body fails the receiver's check.
		receiver.expectSecret('/hooks/forged', 'x'.repeat(40));
		const forged = await addEndpoint(undefined, { url: `${receiver.url}/hooks/forged`, secret: 'y'.repeat(40) });
		await enqueueWebhookEvent(webhookEvent('sign-in', { userId: 1, firstName: 'A', lastName: 'B', at: new Date().toISOString(), date: '2026-11-24', source: 'web', realtime: true }));
		await processDueWebhooks();
		expect(receiver.captured().filter((r) => r.path === '/hooks/forged').map((r) => r.signatureValid)).toEqual([false]);
		await removeEndpoint(actorFrom(admin), forged.id);
		await removeEndpoint(actorFrom(admin), endpoint.id);
		expect(await WebhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(0);
		expect(await AuditRecord.findOne({ where: { actorId: admin.id, action: 'webhook-removed' } })).not.toBeNull();
	});

	it('retries a failing receiver with backoff, 5 tries then failed, and "send again" delivers it', async () => {
		const admin = await newUser({ role: 'admin' });
		receiver.answer('/hooks/flaky', 500);
		const endpoint = await addEndpoint(undefined, { url: `${receiver.url}/hooks/flaky` });
		const start = new Date('2026-11-24T10:00:00Z');
		await enqueueWebhookEvent(webhookEvent('correction', { recordId: 1, userId: 1, date: '2026-11-24', before: { signInAt: 'a', signOutAt: null }, after: { signInAt: 'b', signOutAt: null }, reason: 'forgot', correctedBy: admin.id }, start), start);
		const row = await WebhookDelivery.findOne({ where: { endpointId: endpoint.id } });
		const tries = () => receiver.captured().filter((r) => r.path === '/hooks/flaky').length;

		let now = start;
		expect(await attemptDelivery(row!.id, now)).toBe('retry');
		for (let n = 1; n < MAX_ATTEMPTS; n++) {
			const state = await WebhookDelivery.findByPk(row!.id);
			expect(state).toMatchObject({ status: 'pending', attempts: n, lastStatus: 500, lastError: expect.stringContaining('500') });
			expect(state!.nextAttemptAt!.getTime() - now.getTime()).toBe(RETRY_DELAYS_MS[n - 1]);
			// Not due a moment before its time.
			expect(await attemptDelivery(row!.id, later(state!.nextAttemptAt!, -1))).toBe('not-claimed');
			now = state!.nextAttemptAt!;
			expect(await attemptDelivery(row!.id, now)).toBe(n + 1 === MAX_ATTEMPTS ? 'failed' : 'retry');
		}
		expect(tries()).toBe(5);
		expect(now.getTime() - start.getTime()).toBeGreaterThanOrEqual(9 * 60_000);
		expect(now.getTime() - start.getTime()).toBeLessThanOrEqual(12 * 60_000);
		expect(await WebhookDelivery.findByPk(row!.id)).toMatchObject({ status: 'failed', attempts: 5, nextAttemptAt: null });
		expect(await processDueWebhooks(later(now, 3600_000))).toEqual([]);
		expect((await deliveryLog()).find((d) => d.id === row!.id)).toMatchObject({ status: 'failed', attempts: 5, url: `${receiver.url}/hooks/flaky`, eventType: 'correction' });

		receiver.answer('/hooks/flaky', 204);
		const resentAt = later(now, 7200_000);
		await sendAgain(actorFrom(admin), row!.id, resentAt);
		expect(await AuditRecord.findOne({ where: { actorId: admin.id, action: 'webhook-resent' } })).not.toBeNull();
		expect(await processDueWebhooks(resentAt)).toEqual(['delivered']);
		expect(await WebhookDelivery.findByPk(row!.id)).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 204, lastError: null });
		expect(tries()).toBe(6);
	});

	it('lets only one instance send a due delivery, and takes over one whose sender died', async () => {
		const endpoint = await addEndpoint(undefined, { url: `${receiver.url}/hooks/once` });
		const at = new Date('2026-11-24T11:00:00Z');
		await enqueueWebhookEvent(webhookEvent('sign-out', { userId: 1, firstName: 'A', lastName: 'B', at: at.toISOString(), date: '2026-11-24', source: 'web', realtime: true }, at), at);
		const row = await WebhookDelivery.findOne({ where: { endpointId: endpoint.id } });
		const outcomes = await Promise.all([attemptDelivery(row!.id, at, 'one'), attemptDelivery(row!.id, at, 'two'), attemptDelivery(row!.id, at, 'three')]);
		expect(outcomes.filter((o) => o === 'delivered')).toHaveLength(1);
		expect(outcomes.filter((o) => o === 'not-claimed')).toHaveLength(2);
		expect(receiver.captured().filter((r) => r.path === '/hooks/once')).toHaveLength(1);

		// A claim left by a crashed instance is taken over once it is a minute old.
		await WebhookDelivery.update({ status: 'sending', claimedBy: 'crashed', claimedAt: at }, { where: { id: row!.id } });
		expect(await attemptDelivery(row!.id, later(at, 30_000), 'four')).toBe('not-claimed');
		expect(await attemptDelivery(row!.id, later(at, 61_000), 'four')).toBe('delivered');
		await removeEndpoint(undefined, endpoint.id);
	});

	it('queues for a receiver another instance added as soon as its news arrives, and keeps one list between events', async () => {
		const event = (at: Date) => webhookEvent('sign-in', { userId: 1, firstName: 'A', lastName: 'B', at: at.toISOString(), date: '2026-11-24', source: 'web', realtime: true }, at);
		const at = new Date('2026-11-24T11:00:00Z');
		const off = sendWebhooksFor(events, { send: false });
		let added: WebhookEndpoint | undefined;
		try {
			const receivers = await enqueueWebhookEvent(event(at), at);
			const { result, statements } = await countStatements(() => enqueueWebhookEvent(event(at), at));
			expect(result).toBe(receivers);
			expect(statements.filter((sql) => sql.includes('webhook_endpoints'))).toEqual([]);
			// Another instance adds a receiver: its row is in the database, and its news comes over the bus.
			added = await WebhookEndpoint.create({ url: `${receiver.url}/hooks/elsewhere`, secret: 'z'.repeat(40), createdBy: null });
			await events.emit('webhooks-changed', {});
			expect(await enqueueWebhookEvent(event(at), at)).toBe(receivers + 1);
			expect(await WebhookDelivery.count({ where: { endpointId: added.id } })).toBe(1);
		} finally {
			off();
			if (added) await removeEndpoint(undefined, added.id);
		}
	});

	it('queues nothing for a receiver another instance removed before its news arrived', async () => {
		const event = (at: Date) => webhookEvent('sign-in', { userId: 1, firstName: 'A', lastName: 'B', at: at.toISOString(), date: '2026-11-24', source: 'web', realtime: true }, at);
		const at = new Date('2026-11-24T11:00:00Z');
		const gone = await addEndpoint(undefined, { url: `${receiver.url}/hooks/gone`, secret: 'g'.repeat(40) });
		const receivers = await enqueueWebhookEvent(event(at), at);
		// Removed elsewhere: the row and its log are gone, and this instance has not heard yet.
		await WebhookDelivery.destroy({ where: { endpointId: gone.id } });
		await WebhookEndpoint.destroy({ where: { id: gone.id } });
		expect(await enqueueWebhookEvent(event(at), at)).toBe(receivers - 1);
		expect(await WebhookDelivery.count({ where: { endpointId: gone.id } })).toBe(0);
	});

	it('sends an admin correction as a correction event, and the sign-out it made as a late sign-out', async () => {
		const admin = await newUser({ role: 'admin' });
		const endpoint = await addEndpoint(undefined, { url: `${receiver.url}/hooks/corrections` });
		const person = await newUser({ firstName: 'Cora', lastName: 'Rected' });
		await signIn(person.id, gmt('2026-01-12T09:00:00'));
		const record = await SignInRecord.findOne({ where: { userId: person.id } });
		const off = sendWebhooksFor(events);
		await correctRecord(actorFrom(admin), { recordId: record!.id, signIn: '2026-01-12T08:30', signOut: '2026-01-12T17:00', reason: 'forgot to sign out' }, gmt('2026-01-13T10:00:00'));
		await vi.waitFor(async () => expect(await WebhookDelivery.count({ where: { endpointId: endpoint.id, status: 'delivered' } })).toBe(2));
		off();
		const bodies = receiver.captured().filter((r) => r.path === '/hooks/corrections').map((r) => JSON.parse(r.text));
		expect(bodies.find((b) => b.type === 'correction')).toMatchObject({
			data: {
				recordId: record!.id,
				userId: person.id,
				date: '2026-01-12',
				before: { signInAt: '2026-01-12T09:00:00.000Z', signOutAt: null },
				after: { signInAt: '2026-01-12T08:30:00.000Z', signOutAt: '2026-01-12T17:00:00.000Z' },
				reason: 'forgot to sign out',
				correctedBy: admin.id,
			},
		});
		expect(bodies.find((b) => b.type === 'sign-out')).toMatchObject({ data: { userId: person.id, source: 'admin', realtime: false } });
		await removeEndpoint(undefined, endpoint.id);
	});

	it('lets an admin manage webhooks through the API: the secret is answered once, the log lists deliveries', async () => {
		const admin = callerAs(await newUser({ role: 'admin' }));
		const added = await admin.admin.webhooks.add({ url: `${receiver.url}/hooks/api`, secret: 'k'.repeat(48) });
		expect(added).toMatchObject({ url: `${receiver.url}/hooks/api`, secret: 'k'.repeat(48) });
		expect(JSON.stringify(await admin.admin.webhooks.list())).not.toContain('k'.repeat(48));
		await enqueueWebhookEvent(webhookEvent('sign-in', { userId: 1, firstName: 'A', lastName: 'B', at: new Date().toISOString(), date: '2026-11-24', source: 'web', realtime: true }));
		await processDueWebhooks();
		const log = await admin.admin.webhooks.log();
		expect(log.find((d) => d.endpointId === added.id)).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200 });
		await expect(admin.admin.webhooks.add({ url: 'http://example.org/x' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		await admin.admin.webhooks.remove({ id: added.id });
		expect((await admin.admin.webhooks.list()).some((e) => e.id === added.id)).toBe(false);
	});
});
