/**
 * The rules of the kiosk's outbox, apart from IndexedDB so they can be
 * tested as plain functions.
 *
 * A scan waits until the server answers it. A confirmed scan (applied,
 * duplicate or no-op) is kept, marked, until a roster requested after the
 * confirmation has arrived and the repeat window has passed: until then the
 * roster does not show its effect, and the kiosk still needs it to decide
 * the person's next direction and to recognise a repeat. A refused scan is
 * kept and counted: nothing leaves the tablet silently.
 */
import { REPEAT_SCAN_MS, type KioskScanInput } from '$lib/contracts/kiosk-protocol';
import type { SyncResult } from '$lib/contracts/sync-protocol';
import type { KioskOutboxEntry } from './kiosk-types';

export const isWaitingScan = (entry: KioskOutboxEntry): boolean => entry.confirmedAt === undefined && entry.rejectedReason === undefined;
export const isRefusedScan = (entry: KioskOutboxEntry): boolean => entry.rejectedReason !== undefined;

/** Whether a roster requested at `rosterRequestedAt` already includes this scan's effect. */
export const reflectedBy = (entry: KioskOutboxEntry, rosterRequestedAt: number): boolean =>
	entry.confirmedAt !== undefined && entry.confirmedAt < rosterRequestedAt;

/** A confirmed scan the roster reflects and the repeat rule no longer needs can leave the tablet. */
export const canForget = (entry: KioskOutboxEntry, rosterRequestedAt: number, now: number): boolean =>
	reflectedBy(entry, rosterRequestedAt) && now - Date.parse(entry.clientAt) >= REPEAT_SCAN_MS;

/** The entry after the server's answer; unchanged when the answer is not about it. */
export function answered(entry: KioskOutboxEntry, result: SyncResult, now: number): KioskOutboxEntry {
	if (result.id !== entry.id) return entry;
	if (result.outcome === 'rejected') return { ...entry, rejectedReason: result.reason ?? 'rejected' };
	return { ...entry, confirmedAt: now };
}

/** What travels in `sync.push`: the contract's fields, not the tablet's bookkeeping. */
export function toPushAction(entry: KioskOutboxEntry): KioskScanInput {
	const { id, kind, clientAt, deviceId, seq, direction, subject } = entry;
	return { id, kind, clientAt, deviceId, seq, direction, subject };
}

/** The kiosk's device id in the outbox and the server's ledger. */
export const kioskDeviceId = (kioskId: number): string => `kiosk-${kioskId}`;

/** Device order: the sequence number this tablet gave each scan. */
export const bySeq = (a: KioskOutboxEntry, b: KioskOutboxEntry): number => a.seq - b.seq;
