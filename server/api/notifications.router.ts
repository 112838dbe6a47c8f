/**
 * Admin procedures for webhooks out and broadcasts (issue 11): the same rules
 * the admin pages use. Sending a broadcast is the page's form action only: its
 * "I'm safe" links need the site's address, which a form request carries.
 */
import { broadcastIdInput, webhookIdInput, webhookInput } from '../../src/lib/contracts/notifications';
import { broadcastDetail, recentBroadcasts } from '../domain/notifications/broadcast-view';
import { deliveryLog, sendAgain } from '../domain/notifications/webhook-deliveries';
import { addEndpoint, listEndpoints, removeEndpoint } from '../domain/notifications/webhook-endpoints';
import type { AdminActor } from '../domain/shared/admin-audit';
import type { Context, SessionUser } from './context';
import { adminProcedure, router } from './trpc';

const actor = (ctx: Context & { user: SessionUser }): AdminActor => ({ id: ctx.user.id, request: ctx.request });

export const webhooksRouter = router({
	list: adminProcedure.query(() => listEndpoints()),
	/** The secret is answered once. */
	add: adminProcedure.input(webhookInput).mutation(({ ctx, input }) => addEndpoint(actor(ctx), input)),
	remove: adminProcedure.input(webhookIdInput).mutation(async ({ ctx, input }) => {
		await removeEndpoint(actor(ctx), input.id);
		return { removed: input.id };
	}),
	log: adminProcedure.query(() => deliveryLog(50)),
	sendAgain: adminProcedure.input(webhookIdInput).mutation(async ({ ctx, input }) => {
		await sendAgain(actor(ctx), input.id);
		return { queued: input.id };
	}),
});

export const broadcastsRouter = router({
	recent: adminProcedure.query(() => recentBroadcasts(10)),
	get: adminProcedure.input(broadcastIdInput).query(({ input }) => broadcastDetail(input.id)),
});
