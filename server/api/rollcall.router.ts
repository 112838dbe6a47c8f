import { z } from 'zod';
import { evacuationSnapshot, rollCallReport } from '../domain/rollcall/rollcall-views';
import { marshalProcedure, router } from './trpc';

/** The roll call's reads; its writes are outbox actions through `sync.push`, so they work offline. */
export const rollcallRouter = router({
	/** Who is in, and the current roll call: what every marshal's phone keeps for when the network goes. */
	snapshot: marshalProcedure.query(() => evacuationSnapshot()),
	report: marshalProcedure.input(z.object({ id: z.uuid() })).query(({ input }) => rollCallReport(input.id)),
});
