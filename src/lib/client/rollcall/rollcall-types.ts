/**
 * What a marshal's phone keeps in IndexedDB for the roll call (issue 12).
 * Types only, so the database module and the rules share them without a cycle.
 */
import type { EvacuationSnapshot, RollCallActionInput } from '$lib/contracts/rollcall-protocol';

/** A roll call action waiting in (or answered in) this phone's roll call outbox. */
export type RollCallOutboxEntry = RollCallActionInput & {
	/** The marshal who tapped, for saying "by you" before the server knows. */
	by: string;
	/** Set when the server confirmed it (applied or duplicate), by the phone's clock (epoch ms). */
	confirmedAt?: number;
	/** Set when the server refused it; kept and shown so no mark disappears silently. */
	rejectedReason?: string;
};

/** The snapshot as stored, with when the phone asked for it (its own clock), which decides what it already reflects. */
export interface StoredSnapshot {
	snapshot: EvacuationSnapshot;
	/** Epoch ms by the phone's clock when the request that brought this snapshot began. */
	requestedAt: number;
}

/** The values of the `rollcall` store, by key. */
export interface RollCallStateValues {
	snapshot: StoredSnapshot;
}
