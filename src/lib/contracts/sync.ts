/**
 * The zod schemas of the offline sync protocol, for the server. The browser
 * imports `sync-protocol.ts` instead, which keeps zod out of its bundle.
 */
import { z } from 'zod';
import { placeClaim } from './kiosk';
import { MAX_SYNC_BATCH, SYNC_SCHEMA_VERSION } from './sync-protocol';

export * from './sync-protocol';

export const syncAction = z.object({
	/** Client-generated UUID: the idempotency key. */
	id: z.uuid({ error: 'id must be a UUID' }),
	kind: z.enum(['sign-in', 'sign-out'], { error: 'kind must be sign-in or sign-out' }),
	/** When the person pressed the button, by the device clock, ISO 8601. */
	clientAt: z.iso.datetime({ offset: true, error: 'clientAt must be an ISO 8601 date-time' }),
	deviceId: z.string().min(1).max(64),
	/** The device's sequence number, which orders its actions when its clock was changed in between. */
	seq: z.number().int().nonnegative().max(2 ** 31 - 1).optional(),
	/** The person the action is for; a phone only ever acts for its own user. */
	userId: z.number().int().positive().optional(),
	/** Where it happened, when the phone scanned a poster or a kiosk's presence code. */
	place: placeClaim.optional(),
});

/** Actions are parsed one by one on the server, so one malformed action cannot sink the batch. */
export const syncPushInput = z.object({
	schemaVersion: z.literal(SYNC_SCHEMA_VERSION, { error: `schemaVersion must be ${SYNC_SCHEMA_VERSION}` }),
	actions: z
		.array(z.unknown())
		.min(1, 'actions must not be empty')
		.max(MAX_SYNC_BATCH, `at most ${MAX_SYNC_BATCH} actions per batch`),
});

export type SyncAction = z.infer<typeof syncAction>;
export type SyncPushInput = z.infer<typeof syncPushInput>;

