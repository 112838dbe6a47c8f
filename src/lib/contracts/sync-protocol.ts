/**
 * The offline sync protocol (DESIGN §4) as the browser outbox and the server
 * both speak it: constants and types only, no zod, so the staff page stays small.
 */
export const SYNC_SCHEMA_VERSION = 1;
export const MAX_SYNC_BATCH = 500;

/** One queued action as the device sends it. */
export interface SyncActionInput {
	id: string;
	kind: 'sign-in' | 'sign-out';
	clientAt: string;
	deviceId: string;
	userId?: number;
}

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
