/** The receivers of signed webhooks: added and removed by admins (audited); the secret is shown once. */
import { randomBytes } from 'node:crypto';
import { webhookInput, type WebhookInput } from '../../../src/lib/contracts/notifications';
import { WebhookDelivery, WebhookEndpoint } from '../../db/models/notifications.model';
import { audited, type AdminActor } from '../shared/admin-audit';
import { DomainError } from '../shared/errors';
import { events } from '../shared/events';
import { forgetWebhookEndpoints } from './webhook-deliveries';

export interface EndpointView {
	id: number;
	url: string;
	createdAt: Date;
}

const view = (e: WebhookEndpoint): EndpointView => ({ id: e.id, url: e.url, createdAt: e.createdAt });

export async function listEndpoints(): Promise<EndpointView[]> {
	return (await WebhookEndpoint.findAll({ order: [['id', 'ASC']] })).map(view);
}

/** Adds a receiver; answers its secret, which is not shown again. */
export async function addEndpoint(actor: AdminActor | undefined, raw: WebhookInput): Promise<EndpointView & { secret: string }> {
	const parsed = webhookInput.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw new DomainError('invalid-input', issue.message, issue.path[0]?.toString());
	}
	const secret = parsed.data.secret || randomBytes(32).toString('hex');
	const endpoint = await audited(
		actor,
		'webhook-added',
		(t) => WebhookEndpoint.create({ url: parsed.data.url, secret, createdBy: actor?.id ?? null }, { transaction: t }),
		(e) => ({ details: { endpointId: e.id, url: e.url, secretGenerated: !parsed.data.secret } }),
	);
	await announceChange();
	return { ...view(endpoint), secret };
}

/** Every instance drops its cached list of receivers, this one first. */
async function announceChange(): Promise<void> {
	forgetWebhookEndpoints();
	await events.emit('webhooks-changed', {});
}

export async function removeEndpoint(actor: AdminActor | undefined, id: number): Promise<void> {
	await audited(
		actor,
		'webhook-removed',
		async (t) => {
			const endpoint = await WebhookEndpoint.findByPk(id, { transaction: t });
			if (!endpoint) throw new DomainError('not-found', 'No such webhook: it may have been removed already.');
			// SQLite here runs without foreign-key enforcement, so the log goes explicitly.
			await WebhookDelivery.destroy({ where: { endpointId: id }, transaction: t });
			await endpoint.destroy({ transaction: t });
			return endpoint;
		},
		(e) => ({ details: { endpointId: e.id, url: e.url } }),
	);
	await announceChange();
}
