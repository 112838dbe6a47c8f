/**
 * Web Push through the `web-push` library (VAPID and the aes128gcm payload
 * encryption every browser's push service requires). A 404 or 410 from the
 * push service means the subscription is gone for good: it is forgotten.
 */
import webpush, { WebPushError } from 'web-push';
import { config } from '../config';
import { transaction } from '../db/database';
import { PushSubscription } from '../db/models/notifications.model';
import { ContactDetail } from '../db/models/people.model';
import { logger } from '../logger';
import { registerChannel, type PersonMessage } from './person-delivery';

export const webPushConfigured = (): boolean => config().vapid !== undefined;

/** What the service worker shows: title, body and the page a tap opens. */
export const pushPayload = (message: PersonMessage) => JSON.stringify({ title: message.subject, body: message.text, url: message.url ?? '/' });

/** Forgets a device: its subscription and the `webpush` contact detail pointing at it. */
export async function forgetSubscription(hash: string): Promise<void> {
	await transaction(async (t) => {
		await PushSubscription.destroy({ where: { endpointHash: hash }, transaction: t });
		await ContactDetail.destroy({ where: { method: 'webpush', value: hash }, transaction: t });
	});
}

/** Sends to one stored subscription, named by its endpoint hash (the `webpush` contact value). */
export async function sendWebPush(hash: string, message: PersonMessage): Promise<void> {
	const vapid = config().vapid;
	if (!vapid) throw new Error('Web Push is not configured (VAPID_* variables)');
	const subscription = await PushSubscription.findOne({ where: { endpointHash: hash } });
	if (!subscription) throw new Error('this device is no longer subscribed');
	try {
		await webpush.sendNotification({ endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } }, pushPayload(message), {
			vapidDetails: { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
			TTL: 3600,
			timeout: 10_000,
		});
	} catch (error) {
		if (error instanceof WebPushError && (error.statusCode === 404 || error.statusCode === 410)) {
			await forgetSubscription(hash);
			logger().info({ userId: subscription.userId }, 'push subscription expired: removed');
			throw new Error(`the push service says this device unsubscribed (${error.statusCode}); removed it`);
		}
		if (error instanceof WebPushError) throw new Error(`the push service answered ${error.statusCode}`);
		throw error;
	}
}

export function registerWebPush(): void {
	registerChannel('webpush', { configured: webPushConfigured, send: sendWebPush, display: () => 'push to a device' });
}
