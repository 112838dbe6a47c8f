/**
 * Emergency broadcasts: an admin's message to everyone in the building now
 * (or everyone), through every channel each person has. The form returns as
 * soon as the broadcast and its recipients are stored; sending runs after,
 * person by person, and each outcome is written as it happens so the admin
 * page shows progress. One failure never stops the rest. Every message
 * carries that person's "I'm safe" link.
 */
import { Op } from 'sequelize';
import { broadcastInput, type BroadcastAudience, type BroadcastInput } from '../../../src/lib/contracts/notifications';
import { BroadcastRecipient, type RecipientStatus } from '../../db/models/notifications.model';
import { Broadcast, Delivery } from '../../db/models/operations.model';
import { User } from '../../db/models/people.model';
import { logger } from '../../logger';
import { deliverToPerson, type Delivery as PersonDelivery } from '../../notify/person-delivery';
import { whoIsIn } from '../attendance/presence-now';
import { audited, type AdminActor } from '../shared/admin-audit';
import { DomainError } from '../shared/errors';
import { getSetting } from '../shared/settings';
import { readSafeToken, safeLink } from './safe-links';

function parsed(input: BroadcastInput) {
	const result = broadcastInput.safeParse(input);
	if (!result.success) {
		const issue = result.error.issues[0]!;
		throw new DomainError('invalid-input', issue.message, issue.path[0]?.toString());
	}
	return result.data;
}

async function audienceOf(audience: BroadcastAudience, now: Date): Promise<number[]> {
	if (audience === 'everyone') return (await User.findAll({ attributes: ['id'], order: [['id', 'ASC']], raw: true })).map((u) => u.id);
	return (await whoIsIn(now)).people.map((p) => p.userId);
}

/** Stores the broadcast and its recipients (audited); sending is `deliverBroadcast`. */
export async function createBroadcast(actor: AdminActor | undefined, input: BroadcastInput, now = new Date()): Promise<{ id: number; recipients: number }> {
	const { message, audience } = parsed(input);
	const userIds = await audienceOf(audience, now);
	if (userIds.length === 0) {
		throw new DomainError('invalid-input', audience === 'in-building' ? 'Nobody is signed in right now, so nobody would get it. Choose "Everyone" to reach all people.' : 'There is nobody to send it to.', 'audience');
	}
	const broadcast = await audited(
		actor,
		'broadcast-sent',
		async (t) => {
			const created = await Broadcast.create({ message, audience, channels: 'every channel each person has', senderId: actor?.id ?? null, createdAt: now }, { transaction: t });
			await BroadcastRecipient.bulkCreate(userIds.map((userId) => ({ broadcastId: created.id, userId, status: 'pending' as const, updatedAt: now })), { transaction: t });
			return created;
		},
		(b) => ({ details: { broadcastId: b.id, audience, recipients: userIds.length, message } }),
	);
	return { id: broadcast.id, recipients: userIds.length };
}

const statusOf = (deliveries: PersonDelivery[]): RecipientStatus => {
	if (deliveries.length === 0) return 'unreachable';
	const ok = deliveries.filter((d) => d.ok).length;
	return ok === deliveries.length ? 'delivered' : ok === 0 ? 'failed' : 'partly';
};

/** Sends a stored broadcast to each recipient still pending; `origin` builds the "I'm safe" links. */
export async function deliverBroadcast(broadcastId: number, origin: string): Promise<void> {
	const broadcast = await Broadcast.findByPk(broadcastId);
	if (!broadcast) return;
	const subject = `${await getSetting('buildingName')}: emergency message`;
	const pending = await BroadcastRecipient.findAll({ where: { broadcastId, status: 'pending' }, order: [['id', 'ASC']] });
	for (const recipient of pending) {
		let deliveries: PersonDelivery[];
		try {
			deliveries = await deliverToPerson(recipient.userId, { subject, text: `${broadcast.message}\nTell us you are safe:`, url: safeLink(origin, broadcastId, recipient.userId) });
		} catch (error) {
			// deliverToPerson does not throw; a database hiccup reading one person's contacts might.
			logger().error({ err: error, broadcastId, userId: recipient.userId }, 'broadcast to one person failed');
			deliveries = [{ userId: recipient.userId, channel: 'console', address: '-', ok: false, error: error instanceof Error ? error.message : String(error) }];
		}
		await Delivery.bulkCreate(
			deliveries.map((d) => ({ kind: 'broadcast' as const, broadcastId, userId: d.userId, channel: d.channel, status: d.ok ? 'sent' : 'failed', error: d.error?.slice(0, 1000) ?? null, address: d.address.slice(0, 255) })),
		);
		await recipient.update({ status: statusOf(deliveries) });
	}
}

/** What the form action calls: stored now, sent in the background; answers at once. */
export async function sendBroadcast(actor: AdminActor, input: BroadcastInput, origin: string): Promise<{ id: number; recipients: number; sending: Promise<void> }> {
	const created = await createBroadcast(actor, input);
	const sending = deliverBroadcast(created.id, origin).catch((error: unknown) => logger().error({ err: error, broadcastId: created.id }, 'broadcast sending stopped'));
	return { ...created, sending };
}

/** Records an "I'm safe" reply; refuses a forged link. The first reply's time is kept. */
export async function markSafe(token: string, now = new Date()): Promise<{ firstName: string; safeAt: Date }> {
	const target = readSafeToken(token);
	const recipient = target && (await BroadcastRecipient.findOne({ where: { broadcastId: target.broadcastId, userId: target.userId } }));
	if (!recipient) throw new DomainError('not-found', 'This link is not valid. If you are in the building, tell a fire marshal you are safe.');
	if (!recipient.safeAt) await BroadcastRecipient.update({ safeAt: now }, { where: { id: recipient.id, safeAt: { [Op.is]: null } } });
	const fresh = (await BroadcastRecipient.findByPk(recipient.id))!;
	const user = await User.findByPk(recipient.userId, { attributes: ['firstName'] });
	return { firstName: user?.firstName ?? '', safeAt: fresh.safeAt! };
}

/** What a link's page shows before the person confirms. */
export async function safeLinkTarget(token: string): Promise<{ firstName: string; message: string; safeAt: Date | null } | null> {
	const target = readSafeToken(token);
	if (!target) return null;
	const [recipient, broadcast, user] = await Promise.all([
		BroadcastRecipient.findOne({ where: { broadcastId: target.broadcastId, userId: target.userId } }),
		Broadcast.findByPk(target.broadcastId),
		User.findByPk(target.userId, { attributes: ['firstName'] }),
	]);
	if (!recipient || !broadcast || !user) return null;
	return { firstName: user.firstName, message: broadcast.message, safeAt: recipient.safeAt };
}
