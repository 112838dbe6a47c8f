/**
 * The offline sync protocol (DESIGN §4) as the browser outbox and the server
 * both speak it: constants and types only, no zod, so the staff page stays small.
 */
import type { NoOpDetail } from './attendance-messages';
import type { KioskScanInput, PlaceClaim } from './kiosk-protocol';
import type { RollCallActionInput } from './rollcall-protocol';

export const SYNC_SCHEMA_VERSION = 1;
export const MAX_SYNC_BATCH = 500;

/** One queued action as the device sends it. */
export interface SyncActionInput {
	id: string;
	kind: 'sign-in' | 'sign-out';
	clientAt: string;
	deviceId: string;
	/** The device's own sequence number: the order of its actions, whatever its clock did. */
	seq?: number;
	userId?: number;
	/** Where it happened: a poster's location or a kiosk's presence code (checked by the server). */
	place?: PlaceClaim;
}

/** Any action `sync.push` takes: a phone's sign-in or sign-out, a kiosk's scan, or a marshal's roll-call action. */
export type AnySyncActionInput = SyncActionInput | KioskScanInput | RollCallActionInput;

export type SyncOutcome = 'applied' | 'duplicate' | 'no-op' | 'rejected';

export interface SyncResult {
	/** The action's id, or null when it had none worth echoing. */
	id: string | null;
	outcome: SyncOutcome;
	/** Why it was rejected, or what a no-op met (`already-signed-in`, `already-signed-out`). */
	reason?: string;
	/** For a no-op: what it met, to put in words. */
	detail?: NoOpDetail;
}

export interface SyncStatus {
	date: string;
	signedIn: boolean;
	/** When the current record began (ISO), which may be before midnight. */
	since: string | null;
	sinceTime: string | null;
}

export interface SyncPushReply {
	results: SyncResult[];
	status: SyncStatus;
}
