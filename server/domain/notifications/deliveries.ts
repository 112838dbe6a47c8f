/** Keeps each delivery's outcome as a `deliveries` row, so an admin can see who was reached and why not. */
import { Op } from 'sequelize';
import { config } from '../../config';
import { Delivery as DeliveryRow, type DeliveryKind } from '../../db/models/operations.model';
import type { Delivery } from '../../notify/person-delivery';

/** The site people are sent to: the public ORIGIN, or this server's own address. */
export function siteUrl(): string {
	const c = config();
	return `${c.origin ?? `http://${c.host === '0.0.0.0' || c.host === '::' ? 'localhost' : c.host}:${c.port}`}/`;
}

export async function storeDeliveries(kind: DeliveryKind, jobRunId: number | null, deliveries: readonly Delivery[], at: Date): Promise<void> {
	if (deliveries.length === 0) return;
	await DeliveryRow.bulkCreate(
		deliveries.map((d) => ({
			kind,
			jobRunId,
			userId: d.userId,
			channel: d.channel,
			address: d.address.slice(0, 255),
			status: d.ok ? 'sent' : 'failed',
			error: d.error ?? null,
			createdAt: at,
			updatedAt: at,
		})),
	);
}

/** People a job run has already reached (or tried to): a run taken over after a crash does not message them twice. */
export async function alreadyReached(jobRunId: number): Promise<Set<number>> {
	const rows = await DeliveryRow.findAll({ where: { jobRunId, userId: { [Op.ne]: null } }, attributes: ['userId'], raw: true });
	return new Set(rows.map((r) => r.userId!));
}
