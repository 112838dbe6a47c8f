/** What the admin sees of broadcasts: the recent ones, and one with each person's status and reply. */
import { BroadcastRecipient, type RecipientStatus } from '../../db/models/notifications.model';
import { Broadcast, Delivery } from '../../db/models/operations.model';
import { User } from '../../db/models/people.model';
import { instantOf } from '../../db/queries/person-day.query';
import { DomainError } from '../shared/errors';

export interface BroadcastSummary {
	id: number;
	message: string;
	audience: string;
	createdAt: Date;
}

export interface RecipientView {
	userId: number;
	name: string;
	status: RecipientStatus;
	safeAt: Date | null;
	deliveries: { channel: string; address: string; ok: boolean; error: string | null }[];
}

export interface BroadcastDetail extends BroadcastSummary {
	recipients: RecipientView[];
	counts: { total: number; pending: number; reached: number; safe: number };
}

const summary = (b: Broadcast): BroadcastSummary => ({ id: b.id, message: b.message, audience: b.audience, createdAt: b.createdAt });

export async function recentBroadcasts(limit = 10): Promise<BroadcastSummary[]> {
	return (await Broadcast.findAll({ order: [['id', 'DESC']], limit })).map(summary);
}

/** One broadcast with every recipient, ordered by name: three statements whatever the size. */
export async function broadcastDetail(id: number): Promise<BroadcastDetail> {
	const broadcast = await Broadcast.findByPk(id);
	if (!broadcast) throw new DomainError('not-found', 'No such broadcast.');
	const [recipients, deliveries] = await Promise.all([
		BroadcastRecipient.findAll({ where: { broadcastId: id }, order: [['id', 'ASC']], raw: true }),
		Delivery.findAll({ where: { broadcastId: id }, order: [['id', 'ASC']], raw: true }),
	]);
	const users = new Map(
		(await User.findAll({ where: { id: recipients.map((r) => r.userId) }, attributes: ['id', 'firstName', 'lastName'], raw: true })).map((u) => [u.id, `${u.firstName} ${u.lastName}`]),
	);
	const byUser = new Map<number, RecipientView['deliveries']>();
	for (const d of deliveries) {
		if (d.userId === null) continue;
		const list = byUser.get(d.userId) ?? [];
		list.push({ channel: d.channel, address: d.address ?? '', ok: d.status === 'sent', error: d.error });
		byUser.set(d.userId, list);
	}
	const views = recipients
		.map((r) => ({ userId: r.userId, name: users.get(r.userId) ?? '(erased)', status: r.status, safeAt: r.safeAt ? instantOf(r.safeAt) : null, deliveries: byUser.get(r.userId) ?? [] }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return {
		...summary(broadcast),
		recipients: views,
		counts: {
			total: views.length,
			pending: views.filter((v) => v.status === 'pending').length,
			reached: views.filter((v) => v.status === 'delivered' || v.status === 'partly').length,
			safe: views.filter((v) => v.safeAt !== null).length,
		},
	};
}
