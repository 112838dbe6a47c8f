/**
 * The kiosk's IndexedDB: its pairing, its roster snapshot and its outbox of
 * scans, in the register's database (stores `kiosk` and `kioskOutbox`,
 * version 2). The rules live in kiosk-outbox-rules.ts; this file only reads
 * and writes, each change in one transaction with nothing else awaited
 * inside it.
 */
import type { KioskPairing, KioskRollCall } from '$lib/contracts/kiosk-protocol';
import type { SyncResult } from '$lib/contracts/sync-protocol';
import { registerDb } from '../offline/db';
import { answered, bySeq, canForget, isWaitingScan } from './kiosk-outbox-rules';
import type { KioskOutboxEntry, StoredRoster } from './kiosk-types';

export async function loadPairing(): Promise<KioskPairing | null> {
	return ((await (await registerDb()).get('kiosk', 'pairing')) as KioskPairing | undefined) ?? null;
}

/** A new pairing replaces the old one and its roster, and lifts a revocation; the outbox is kept. */
export async function savePairing(pairing: KioskPairing): Promise<void> {
	const db = await registerDb();
	const tx = db.transaction('kiosk', 'readwrite');
	await Promise.all([tx.store.put(pairing, 'pairing'), tx.store.delete('roster'), tx.store.delete('revoked'), tx.done]);
}

export async function loadRoster(): Promise<StoredRoster | null> {
	return ((await (await registerDb()).get('kiosk', 'roster')) as StoredRoster | undefined) ?? null;
}

/** Keeps a fresh roster and forgets the confirmed scans it now reflects (once their repeat window has passed). */
export async function saveRoster(stored: StoredRoster, now = Date.now()): Promise<void> {
	const db = await registerDb();
	const tx = db.transaction(['kiosk', 'kioskOutbox'], 'readwrite');
	const outbox = tx.objectStore('kioskOutbox');
	const entries = await outbox.getAll();
	const forget = entries.filter((entry) => canForget(entry, stored.requestedAt, now));
	await Promise.all([tx.objectStore('kiosk').put(stored, 'roster'), ...forget.map((entry) => outbox.delete(entry.id)), tx.done]);
}

export async function loadRollCall(): Promise<KioskRollCall | null> {
	return ((await (await registerDb()).get('kiosk', 'rollCall')) as KioskRollCall | null | undefined) ?? null;
}

export async function saveRollCall(rollCall: KioskRollCall | null): Promise<void> {
	await (await registerDb()).put('kiosk', rollCall, 'rollCall');
}

export async function loadRevoked(): Promise<boolean> {
	return (await (await registerDb()).get('kiosk', 'revoked')) !== undefined;
}

export async function saveRevoked(at = Date.now()): Promise<void> {
	await (await registerDb()).put('kiosk', { at }, 'revoked');
}

/** Queues a scan with the next number of this tablet's sequence, taken in the same transaction as the write. */
export async function enqueueScan(scan: Omit<KioskOutboxEntry, 'id' | 'seq'>): Promise<KioskOutboxEntry> {
	const db = await registerDb();
	const tx = db.transaction(['kiosk', 'kioskOutbox'], 'readwrite');
	const last = await tx.objectStore('kiosk').get('seq');
	const seq = (typeof last === 'number' ? last : 0) + 1;
	const entry: KioskOutboxEntry = { ...scan, id: crypto.randomUUID(), seq };
	await Promise.all([tx.objectStore('kiosk').put(seq, 'seq'), tx.objectStore('kioskOutbox').put(entry), tx.done]);
	return entry;
}

/** Every scan the tablet still holds (waiting, confirmed but not yet in a roster, refused), in device order. */
export async function allScans(): Promise<KioskOutboxEntry[]> {
	return (await (await registerDb()).getAll('kioskOutbox')).sort(bySeq);
}

/** Records the server's answers: confirmed scans are marked (kept until a roster reflects them), refused ones keep their reason. */
export async function settleScans(results: readonly SyncResult[], now = Date.now()): Promise<void> {
	const db = await registerDb();
	const tx = db.transaction('kioskOutbox', 'readwrite');
	const updates: KioskOutboxEntry[] = [];
	for (const result of results) {
		if (!result.id) continue;
		const entry = await tx.store.get(result.id);
		if (entry) updates.push(answered(entry, result, now));
	}
	await Promise.all([...updates.map((entry) => tx.store.put(entry)), tx.done]);
}

/** A revoked kiosk's whole queue is refused: every waiting scan is marked so, and stays countable. */
export async function refuseWaiting(reason: string): Promise<void> {
	const db = await registerDb();
	const tx = db.transaction('kioskOutbox', 'readwrite');
	const waiting = (await tx.store.getAll()).filter(isWaitingScan);
	await Promise.all([...waiting.map((entry) => tx.store.put({ ...entry, rejectedReason: reason })), tx.done]);
}
