import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { broadcastIdInput, broadcastInput } from '$lib/contracts/notifications';
import { config } from '$server/config';
import { sendBroadcast } from '$server/domain/notifications/broadcast';
import { broadcastDetail, recentBroadcasts } from '$server/domain/notifications/broadcast-view';
import { localTime, momentInWords } from '$server/domain/shared/clock';
import { isDomainError } from '$server/domain/shared/errors';
import { adminActor } from '$server/web/admin-actor';
import { field, formAction, parseForm, readForm } from '$server/web/forms';
import { requireAdmin } from '$server/web/guards';

export const load: PageServerLoad = async ({ locals, url, depends }) => {
	requireAdmin(locals.user, url);
	depends('admin:broadcast');
	const recent = await recentBroadcasts(10);
	const wanted = broadcastIdInput.safeParse({ id: url.searchParams.get('id') ?? undefined });
	const id = wanted.success ? wanted.data.id : recent[0]?.id;
	// An unknown id (an old bookmark) shows the page without a broadcast rather than an error.
	const shown = id === undefined ? null : await broadcastDetail(id).catch((error: unknown) => (isDomainError(error) ? null : Promise.reject(error)));
	return {
		recent: recent.map((b) => ({ id: b.id, message: b.message, sent: momentInWords(b.createdAt) })),
		shown: shown && {
			id: shown.id,
			message: shown.message,
			audience: shown.audience === 'everyone' ? 'Everyone' : 'Everyone in the building',
			sent: momentInWords(shown.createdAt),
			counts: shown.counts,
			recipients: shown.recipients.map((r) => ({
				userId: r.userId,
				name: r.name,
				status: r.status,
				safe: r.safeAt ? localTime(r.safeAt) : null,
				channels: r.deliveries.map((d) => ({ channel: d.channel, ok: d.ok, error: d.error })),
			})),
		},
	};
};

export const actions: Actions = {
	send: async (event) => {
		const actor = adminActor(event);
		const form = await readForm(event);
		const result = await formAction(async () => {
			const input = parseForm(broadcastInput, form, ['message', 'audience']);
			// Sending goes on after this answer; the page polls the statuses.
			const sent = await sendBroadcast(actor, input, config().origin ?? event.url.origin);
			return { id: sent.id };
		}, { message: field(form, 'message') ?? '', audience: field(form, 'audience') ?? '' });
		if ('id' in result && typeof result.id === 'number') redirect(303, `/admin/broadcast?id=${result.id}`);
		return result;
	},
};
