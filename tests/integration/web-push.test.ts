/**
 * Web Push through the real web-push library to a local HTTPS push service:
 * a subscribed person is reached as one of their channels (VAPID-signed,
 * encrypted), "Send a test" reaches only that device, and a push service's
 * 404/410 forgets the subscription.
 */
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import webpush from 'web-push';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { config, resetConfig } from '../../server/config';
import { PushSubscription } from '../../server/db/models/notifications.model';
import { ContactDetail } from '../../server/db/models/people.model';
import { sendTestPush, subscribe, unsubscribe } from '../../server/domain/notifications/push-subscriptions';
import { eraseUser, mergeUsers } from '../../server/domain/people/people-merge';
import { deliverToPerson } from '../../server/notify/person-delivery';
import { registerWebPush } from '../../server/notify/webpush.notifier';
import { startPushService, type RunningPushService } from '../fakes/push-service.fake';
import { useTestDatabase } from './support/database';
import { newUser } from './support/factories';
import { actorFrom, callerAs, trpcCode } from './support/people';

const db = await useTestDatabase();
let pushService: RunningPushService;
const vapid = webpush.generateVAPIDKeys();
let previousCa: unknown;

/** A browser's subscription: real P-256 and auth keys, so web-push can encrypt to it. */
function browserSubscription(path: string) {
	const { publicKey } = webpush.generateVAPIDKeys();
	return { endpoint: `${pushService.url}${path}`, expirationTime: null, keys: { p256dh: publicKey, auth: randomBytes(16).toString('base64url') } };
}

beforeAll(async () => {
	pushService = await startPushService();
	// The test's push service has its own certificate: trusted the way a deployment trusts a private CA.
	previousCa = https.globalAgent.options.ca;
	https.globalAgent.options.ca = pushService.trustedCa;
	resetConfig({ ...config(), vapid: { publicKey: vapid.publicKey, privateKey: vapid.privateKey, subject: 'mailto:ops@example.org' } });
	registerWebPush();
});
afterAll(async () => {
	https.globalAgent.options.ca = previousCa as string | undefined;
	await pushService?.close();
});

db.describe(`web push (${db.dialect})`, () => {
	it('reaches a subscribed person with a VAPID-signed, encrypted message', async () => {
		const user = await newUser();
		await subscribe(user.id, browserSubscription('/push/ada-phone'));
		const deliveries = await deliverToPerson(user.id, { subject: 'Fire drill', text: 'Leave now', url: 'https://register.example.org/safe/x' });
		expect(deliveries).toEqual([{ userId: user.id, channel: 'webpush', address: 'push to a device', ok: true }]);
		const [push] = pushService.captured().filter((p) => p.path === '/push/ada-phone');
		expect(push!.headers.authorization).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${vapid.publicKey}$`));
		expect(push!.headers['content-encoding']).toBe('aes128gcm');
		expect(push!.headers.ttl).toBe('3600');
		expect(push!.body.length).toBeGreaterThan(100);
		expect(push!.body.toString('utf8')).not.toContain('Leave now');
	});

	it('sends a test to this device only, through the profile procedure', async () => {
		const user = await newUser();
		const phone = browserSubscription('/push/bob-phone');
		const laptop = browserSubscription('/push/bob-laptop');
		const caller = callerAs(user);
		await caller.profile.push.subscribe(phone);
		await caller.profile.push.subscribe(laptop);
		expect(await ContactDetail.count({ where: { userId: user.id, method: 'webpush' } })).toBe(2);
		expect(await caller.profile.push.test({ endpoint: laptop.endpoint })).toEqual({ sent: true });
		expect(pushService.captured().filter((p) => p.path.startsWith('/push/bob-')).map((p) => p.path)).toEqual(['/push/bob-laptop']);
		// Another person cannot test (or learn about) Bob's device.
		await expect(sendTestPush((await newUser()).id, laptop.endpoint)).rejects.toMatchObject({ code: 'not-found' });
		await caller.profile.push.unsubscribe({ endpoint: laptop.endpoint });
		expect(await ContactDetail.count({ where: { userId: user.id, method: 'webpush' } })).toBe(1);
	});

	it('forgets a subscription the push service says is gone (404 or 410)', async () => {
		const user = await newUser();
		pushService.answer('/push/gone', 410);
		pushService.answer('/push/unknown', 404);
		await subscribe(user.id, browserSubscription('/push/gone'));
		await subscribe(user.id, browserSubscription('/push/unknown'));
		const deliveries = await deliverToPerson(user.id, { subject: 'Reminder', text: 'Sign out' });
		expect(deliveries.map((d) => [d.ok, d.error])).toEqual([
			[false, expect.stringContaining('410')],
			[false, expect.stringContaining('404')],
		]);
		expect(await PushSubscription.count({ where: { userId: user.id } })).toBe(0);
		expect(await ContactDetail.count({ where: { userId: user.id, method: 'webpush' } })).toBe(0);
	});

	it('refuses a subscription that is not a push service address, and a stranger', async () => {
		const user = await newUser();
		await expect(subscribe(user.id, { endpoint: 'http://example.org/push', keys: { p256dh: 'x'.repeat(40), auth: 'y'.repeat(16) } })).rejects.toMatchObject({ code: 'invalid-input' });
		expect(await trpcCode(callerAs(null).profile.push.subscribe(browserSubscription('/push/stranger')))).toBe('UNAUTHORIZED');
		await unsubscribe(user.id, 'https://nowhere.example/push');
		expect(await PushSubscription.count({ where: { userId: user.id } })).toBe(0);
	});

	it("follows a merge to the kept account and goes with an erased person", async () => {
		const admin = await newUser({ role: 'admin' });
		const older = await newUser();
		const newer = await newUser();
		await subscribe(newer.id, browserSubscription('/push/merged'));
		await mergeUsers(actorFrom(admin), [older.id, newer.id]);
		expect(await PushSubscription.count({ where: { userId: older.id } })).toBe(1);
		expect((await deliverToPerson(older.id, { subject: 'After merge', text: 'Still reaches you' })).map((d) => d.ok)).toEqual([true]);

		await eraseUser(actorFrom(admin), { userId: older.id, confirmUsername: older.username });
		expect(await PushSubscription.count({ where: { userId: older.id } })).toBe(0);
	});
});
