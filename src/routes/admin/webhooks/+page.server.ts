import type { Actions, PageServerLoad } from './$types';
import { webhookIdInput } from '$lib/contracts/notifications';
import { momentInWords } from '$server/domain/shared/clock';
import { deliveryLog, sendAgain } from '$server/domain/notifications/webhook-deliveries';
import { addEndpoint, listEndpoints, removeEndpoint } from '$server/domain/notifications/webhook-endpoints';
import { kickWebhooks } from '$server/domain/notifications/webhook-worker';
import { adminActor } from '$server/web/admin-actor';
import { field, formAction, parseForm, readForm } from '$server/web/forms';
import { requireAdmin } from '$server/web/guards';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals.user, url);
	const [endpoints, log] = await Promise.all([listEndpoints(), deliveryLog(50)]);
	return {
		endpoints: endpoints.map((e) => ({ id: e.id, url: e.url, added: momentInWords(e.createdAt) })),
		log: log.map((d) => ({
			id: d.id,
			url: d.url,
			event: d.eventType,
			status: d.status,
			attempts: d.attempts,
			lastStatus: d.lastStatus,
			lastError: d.lastError,
			next: d.nextAttemptAt && d.status === 'pending' ? momentInWords(d.nextAttemptAt) : null,
			created: momentInWords(d.createdAt),
		})),
	};
};

export const actions: Actions = {
	add: async (event) => {
		const actor = adminActor(event);
		const form = await readForm(event);
		return formAction(async () => {
			const added = await addEndpoint(actor, { url: field(form, 'url') ?? '', secret: field(form, 'secret') ?? '' });
			return { section: 'added' as const, url: added.url, secret: added.secret };
		}, { section: 'add', url: field(form, 'url') ?? '' });
	},
	remove: async (event) => {
		const actor = adminActor(event);
		const form = await readForm(event);
		return formAction(async () => {
			await removeEndpoint(actor, parseForm(webhookIdInput, form, ['id']).id);
			return { section: 'list' as const, removed: true };
		}, { section: 'list' });
	},
	resend: async (event) => {
		const actor = adminActor(event);
		const form = await readForm(event);
		return formAction(async () => {
			await sendAgain(actor, parseForm(webhookIdInput, form, ['id']).id);
			// Not awaited: a slow receiver must not hold the admin's page; the log shows the outcome.
			void kickWebhooks();
			return { section: 'log' as const, resent: true };
		}, { section: 'log' });
	},
};
