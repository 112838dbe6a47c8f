/** The roll call's zod schemas, for the server (the browser imports `rollcall-protocol.ts`). */
import { z } from 'zod';
import { rollCallStatuses } from './rollcall-protocol';

export * from './rollcall-protocol';

const base = {
	id: z.uuid({ error: 'id must be a UUID' }),
	clientAt: z.iso.datetime({ offset: true, error: 'clientAt must be an ISO 8601 date-time' }),
	deviceId: z.string().min(1).max(64),
	rollCallId: z.uuid({ error: 'rollCallId must be a UUID' }),
};

export const rollCallAction = z.discriminatedUnion('kind', [
	z.object({ ...base, kind: z.literal('rollcall-start'), drill: z.boolean() }),
	z.object({ ...base, kind: z.literal('rollcall-mark'), subjectId: z.number().int().positive(), status: z.enum(rollCallStatuses) }),
	z.object({ ...base, kind: z.literal('rollcall-end') }),
]);

export type RollCallAction = z.infer<typeof rollCallAction>;
