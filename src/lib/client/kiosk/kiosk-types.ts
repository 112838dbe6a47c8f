/**
 * What a reception tablet keeps in IndexedDB (issue 9). Types only, so the
 * database module and the kiosk's rules can share them without a cycle.
 */
import type { KioskPairing, KioskRollCall, KioskRoster, KioskScanInput } from '$lib/contracts/kiosk-protocol';
import type { EvacuationAction } from './evacuation';

/** A kiosk scan waiting in (or answered in) the tablet's outbox. */
export interface KioskOutboxEntry extends KioskScanInput {
	seq: number;
	/** Whose scan it was, from the roster at the time: the repeat rule and the direction fold need it offline. */
	userId: number;
	firstName: string;
	/** Set when the server confirmed it (applied, duplicate or no-op), by the tablet's clock (epoch ms). */
	confirmedAt?: number;
	/** Set when the server refused it; kept and counted so nothing leaves the tablet silently. */
	rejectedReason?: string;
}

/** The roster as stored, with when the tablet asked for it (its own clock), which decides what it already reflects. */
export interface StoredRoster {
	roster: KioskRoster;
	/** Epoch ms by the tablet's clock when the request that brought this roster began. */
	requestedAt: number;
}

/** The values of the `kiosk` store, by key. */
export interface KioskStateValues {
	pairing: KioskPairing;
	roster: StoredRoster;
	/** The last scan sequence number this tablet used. */
	seq: number;
	/** Set when the server said this kiosk was revoked: the screen stops until it is paired again. */
	revoked: { at: number };
	/** Roll-call actions made here (a start, people marking themselves safe), until the register answers them. */
	evacuationMarks: EvacuationAction[];
	/** The open roll call as the register last said (null: none); fresher than the roster's. */
	rollCall: KioskRollCall | null;
}
