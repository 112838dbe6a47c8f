import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { syncPushInput } from '../../src/lib/contracts/sync';
import { pushBatch } from '../domain/sync/push';
import { claimableUserIds } from '../domain/sync/sync';
import { authedProcedure, publicProcedure, router } from './trpc';

/** A person's session or a kiosk's credential, checked before the input: a stranger is told to log in, whatever they sent. */
const personOrKioskProcedure = publicProcedure.use(({ ctx, next }) => {
	if (!ctx.user && !ctx.kioskCredential) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please log in first.' });
	return next();
});

export const syncRouter = router({
	/** A phone's batch (user session) or a kiosk's (kiosk credential cookie); each action goes to its kind's handler. */
	push: personOrKioskProcedure.input(syncPushInput).mutation(({ ctx, input }) => {
		return pushBatch(
			{ userId: ctx.user?.id ?? null, kioskCredential: ctx.kioskCredential, request: { ip: ctx.request.ip, userAgent: ctx.request.userAgent } },
			input.actions,
		);
	}),
	/** Which of these accounts were merged into the caller's, so a phone can send their queued actions. */
	claimable: authedProcedure
		.input(z.object({ userIds: z.array(z.number().int().positive()).max(50) }))
		.query(async ({ ctx, input }) => ({ userIds: await claimableUserIds(ctx.user.id, input.userIds) })),
});
