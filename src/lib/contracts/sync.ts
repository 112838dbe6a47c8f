/**
 * The offline sync protocol (DESIGN §4), spoken by the browser outbox and the
 * server. The browser imports types only: zod stays out of its bundle.
 */
import { z } from 'zod';

export const SYNC_SCHEMA_VERSION = 1;
export const MAX_SYNC_BATCH = 500;

export const syncAction = z.object({
	/** Client-generated UUID: the idempotency key. */
	id: z.uuid({ error: 'id must be a UUID' }),
	kind: z.enum(['sign-in', 'sign-out'], { error: 'kind must be sign-in or sign-out' }),
	/** When the person pressed the button, by the device clock, ISO 8601. */
	clientAt: z.iso.datetime({ offset: true, error: 'clientAt must be an ISO 8601 date-time' }),
	deviceId: z.string().min(1).max(64),
	/** The person the action is for; a phone only ever acts for its own user. */
	userId: z.number().int().positive().optional(),
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

export type SyncOutcome = 'applied' | 'duplicate' | 'no-op' | 'rejected';

export interface SyncResult {
	/** The action's id, or null when it had none worth echoing. */
	id: string | null;
	outcome: SyncOutcome;
	/** Why it was rejected, or `stale` for a no-op that lost to a newer fact. */
	reason?: string;
}

export interface SyncStatus {
	date: string;
	signedIn: boolean;
	sinceTime: string | null;
}

export interface SyncPushReply {
	results: SyncResult[];
	status: SyncStatus;
}
