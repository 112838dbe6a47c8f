/**
 * Webhooks out, at least once. Every event becomes one `webhook_deliveries`
 * row per endpoint; any instance may send a due row, after claiming it with
 * one conditional UPDATE (only the instance whose update changed the row
 * sends). A failure (no answer, or not 2xx) schedules the next try with
 * exponential backoff: 5 tries over about 10 minutes, then `failed` until an
 * admin sends it again. A claim older than a minute belongs to an instance
 * that died mid-send and may be taken over. All state is in the database,
 * so a restart loses nothing.
 */
import { randomUUID } from 'node:crypto';
import { ForeignKeyConstraintError, Op } from 'sequelize';
import { WebhookDelivery, WebhookEndpoint, type WebhookStatus } from '../../db/models/notifications.model';
import { PostFailed, postJson } from '../../integrations/http-post';
import { logger } from '../../logger';
import { audited, type AdminActor } from '../shared/admin-audit';
import { DomainError } from '../shared/errors';
import type { WebhookEvent } from './webhook-events';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature';

export const MAX_ATTEMPTS = 5;
/** The wait after failed try n (1-based): 30 s, 1 min, 3 min, 6 min: the fifth try comes about 10 minutes after the first. */
export const RETRY_DELAYS_MS = [30_000, 60_000, 180_000, 360_000] as const;
const CLAIM_TIMEOUT_MS = 60_000;
const BATCH = 20;

/** Names this process in claims. */
export const workerId = `${process.pid}-${randomUUID().slice(0, 8)}`;

/**
 * The receivers' ids, cached: every sign-in is an event, and most buildings
 * have no receiver, so asking the database each time cost a statement per
 * sign-in. A change drops the cache on every instance (`webhooks-changed` on
 * the bus); the TTL is the fallback should that event be lost.
 */
const ENDPOINTS_CACHE_MS = 30_000;
let endpointCache: { ids: number[]; until: number } | undefined;

async function endpointIds(now: number): Promise<number[]> {
	if (endpointCache && endpointCache.until > now) return endpointCache.ids;
	const rows = await WebhookEndpoint.findAll({ attributes: ['id'], raw: true });
	endpointCache = { ids: rows.map((r) => r.id), until: now + ENDPOINTS_CACHE_MS };
	return endpointCache.ids;
}

/** Forgets the cached receivers (a change on any instance, tests). */
export function forgetWebhookEndpoints(): void {
	endpointCache = undefined;
}

/** Queues `event` for every endpoint; answers how many deliveries were queued. */
export async function enqueueWebhookEvent(event: WebhookEvent, now = new Date()): Promise<number> {
	const queue = async (ids: number[]) => {
		if (ids.length === 0) return 0;
		const payload = JSON.stringify(event);
		await WebhookDelivery.bulkCreate(
			ids.map((endpointId) => ({ endpointId, eventId: event.id, eventType: event.type, payload, status: 'pending' as const, attempts: 0, nextAttemptAt: now })),
		);
		return ids.length;
	};
	try {
		return await queue(await endpointIds(now.getTime()));
	} catch (error) {
		// A receiver removed on an instance whose news has not arrived yet: ask the database and try once more.
		if (!(error instanceof ForeignKeyConstraintError)) throw error;
		forgetWebhookEndpoints();
		return queue(await endpointIds(now.getTime()));
	}
}

const claimable = (now: Date) => ({
	[Op.or]: [
		{ status: 'pending', nextAttemptAt: { [Op.lte]: now } },
		{ status: 'sending', claimedAt: { [Op.lt]: new Date(now.getTime() - CLAIM_TIMEOUT_MS) } },
	],
});

/** Takes one due delivery for this worker; false when another instance has it (or it is not due). */
export async function claimDelivery(id: number, now: Date, worker = workerId): Promise<boolean> {
	const [changed] = await WebhookDelivery.update({ status: 'sending', claimedBy: worker, claimedAt: now }, { where: { id, ...claimable(now) } });
	return changed === 1;
}

export type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'not-claimed';

/** One try of one delivery, if this worker wins the claim. */
export async function attemptDelivery(id: number, now = new Date(), worker = workerId): Promise<AttemptOutcome> {
	if (!(await claimDelivery(id, now, worker))) return 'not-claimed';
	const delivery = await WebhookDelivery.findByPk(id);
	const endpoint = delivery && (await WebhookEndpoint.findByPk(delivery.endpointId));
	if (!delivery || !endpoint) {
		await WebhookDelivery.destroy({ where: { id } });
		return 'not-claimed';
	}
	const attempts = delivery.attempts + 1;
	const released = { attempts, claimedBy: null, claimedAt: null };
	try {
		const status = await postJson(endpoint.url, delivery.payload, {
			[SIGNATURE_HEADER]: signatureHeader(endpoint.secret, delivery.payload, now),
			'X-Register-Event': delivery.eventType,
			'X-Register-Delivery': String(delivery.id),
			'User-Agent': 'BuildingRegister-Webhooks/1',
		});
		await delivery.update({ ...released, status: 'delivered', lastStatus: status, lastError: null, nextAttemptAt: null });
		return 'delivered';
	} catch (error) {
		const lastStatus = error instanceof PostFailed ? error.status : null;
		const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
		const giveUp = attempts >= MAX_ATTEMPTS;
		const nextAttemptAt = giveUp ? null : new Date(now.getTime() + RETRY_DELAYS_MS[attempts - 1]!);
		await delivery.update({ ...released, status: giveUp ? 'failed' : 'pending', lastStatus, lastError, nextAttemptAt });
		logger().warn({ deliveryId: id, endpointId: endpoint.id, attempts, err: lastError }, giveUp ? 'webhook delivery failed for good' : 'webhook delivery failed, will retry');
		return giveUp ? 'failed' : 'retry';
	}
}

/** Sends what is due now (a batch); answers each delivery's outcome. */
export async function processDueWebhooks(now = new Date(), worker = workerId): Promise<AttemptOutcome[]> {
	const due = await WebhookDelivery.findAll({ where: claimable(now), attributes: ['id'], order: [['id', 'ASC']], limit: BATCH, raw: true });
	return Promise.all(due.map((d) => attemptDelivery(d.id, now, worker)));
}

/** "Send again": a delivered or failed delivery gets a fresh set of tries, starting now. */
export async function sendAgain(actor: AdminActor | undefined, id: number, now = new Date()): Promise<void> {
	await audited(
		actor,
		'webhook-resent',
		async (t) => {
			const delivery = await WebhookDelivery.findByPk(id, { transaction: t });
			if (!delivery) throw new DomainError('not-found', 'No such delivery: its webhook may have been removed.');
			if (delivery.status === 'sending') throw new DomainError('conflict', 'That delivery is being sent right now.');
			await delivery.update({ status: 'pending', attempts: 0, nextAttemptAt: now, claimedBy: null, claimedAt: null }, { transaction: t });
			return delivery;
		},
		(d) => ({ details: { deliveryId: d.id, endpointId: d.endpointId, event: d.eventType } }),
	);
}

export interface DeliveryLogRow {
	id: number;
	endpointId: number;
	url: string;
	eventType: string;
	status: WebhookStatus;
	attempts: number;
	lastStatus: number | null;
	lastError: string | null;
	nextAttemptAt: Date | null;
	createdAt: Date;
}

/** The newest deliveries first, for the admin page. */
export async function deliveryLog(limit = 50): Promise<DeliveryLogRow[]> {
	const rows = await WebhookDelivery.findAll({ order: [['id', 'DESC']], limit, attributes: { exclude: ['payload'] } });
	const urls = new Map((await WebhookEndpoint.findAll({ attributes: ['id', 'url'], raw: true })).map((e) => [e.id, e.url]));
	return rows.map((r) => ({
		id: r.id,
		endpointId: r.endpointId,
		url: urls.get(r.endpointId) ?? '(removed)',
		eventType: r.eventType,
		status: r.status,
		attempts: r.attempts,
		lastStatus: r.lastStatus,
		lastError: r.lastError,
		nextAttemptAt: r.nextAttemptAt,
		createdAt: r.createdAt,
	}));
}
