import { z } from 'zod';
import { syncPushInput } from '../../src/lib/contracts/sync';
import { claimableUserIds, pushActions } from '../domain/sync/sync';
import { authedProcedure, router } from './trpc';

export const syncRouter = router({
	push: authedProcedure
		.input(syncPushInput)
		.mutation(({ ctx, input }) =>
			pushActions({ userId: ctx.user.id, request: { ip: ctx.request.ip, userAgent: ctx.request.userAgent } }, input.actions),
		),
	/** Which of these accounts were merged into the caller's, so a phone can send their queued actions. */
	claimable: authedProcedure
		.input(z.object({ userIds: z.array(z.number().int().positive()).max(50) }))
		.query(async ({ ctx, input }) => ({ userIds: await claimableUserIds(ctx.user.id, input.userIds) })),
});
