import { syncPushInput } from '../../src/lib/contracts/sync';
import { pushActions } from '../domain/sync/sync';
import { authedProcedure, router } from './trpc';

export const syncRouter = router({
	push: authedProcedure
		.input(syncPushInput)
		.mutation(({ ctx, input }) =>
			pushActions({ userId: ctx.user.id, request: { ip: ctx.request.ip, userAgent: ctx.request.userAgent } }, input.actions),
		),
});
