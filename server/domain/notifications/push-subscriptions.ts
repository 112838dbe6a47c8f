/**
 * Web Push subscriptions. The browser's subscription (endpoint and keys) is
 * too long for a contact detail's 255 characters, so it lives in
 * `push_subscriptions`; a `webpush` contact detail whose value is the
 * endpoint's SHA-256 points at it, so person-delivery reaches a device like
 * any other contact. A device belongs to the last person who subscribed on it.
 */
import { pushSubscriptionInput, type PushSubscriptionInput } from '../../../src/lib/contracts/notifications';
import { transaction } from '../../db/database';
import { PushSubscription } from '../../db/models/notifications.model';
import { ContactDetail } from '../../db/models/people.model';
import { forgetSubscription, sendWebPush } from '../../notify/webpush.notifier';
import { sha256 } from '../identity/secrets';
import { DomainError } from '../shared/errors';

export const endpointHash = (endpoint: string): string => sha256(endpoint);

function parsed(input: unknown): PushSubscriptionInput {
	const result = pushSubscriptionInput.safeParse(input);
	if (!result.success) throw new DomainError('invalid-input', result.error.issues[0]!.message);
	return result.data;
}

export async function subscribe(userId: number, input: unknown): Promise<void> {
	const subscription = parsed(input);
	const hash = endpointHash(subscription.endpoint);
	await transaction(async (t) => {
		const keys = { p256dh: subscription.keys.p256dh, auth: subscription.keys.auth };
		const existing = await PushSubscription.findOne({ where: { endpointHash: hash }, transaction: t });
		if (existing) await existing.update({ userId, ...keys }, { transaction: t });
		else await PushSubscription.create({ userId, endpoint: subscription.endpoint, endpointHash: hash, ...keys }, { transaction: t });
		const [contact] = await ContactDetail.findOrCreate({ where: { method: 'webpush', value: hash }, defaults: { method: 'webpush', value: hash, userId }, transaction: t });
		if (contact.userId !== userId) await contact.update({ userId }, { transaction: t });
	});
}

/** A person turns notifications off on one of their devices. */
export async function unsubscribe(userId: number, endpoint: string): Promise<void> {
	const hash = endpointHash(endpoint);
	const row = await PushSubscription.findOne({ where: { endpointHash: hash, userId } });
	if (row) await forgetSubscription(hash);
}

export async function subscriptionOf(userId: number, endpoint: string): Promise<PushSubscription | null> {
	return PushSubscription.findOne({ where: { endpointHash: endpointHash(endpoint), userId } });
}

/** "Send a test" on the profile: to this one device, answering what happened. */
export async function sendTestPush(userId: number, endpoint: string): Promise<{ sent: boolean; error?: string }> {
	const row = await subscriptionOf(userId, endpoint);
	if (!row) throw new DomainError('not-found', 'This device is not subscribed: turn notifications on first.');
	try {
		await sendWebPush(row.endpointHash, { subject: 'Test notification', text: 'Notifications work on this device.', url: '/profile' });
		return { sent: true };
	} catch (error) {
		return { sent: false, error: error instanceof Error ? error.message : String(error) };
	}
}
