/**
 * The outbox: every sign-in and sign-out is written here before anything
 * else, and leaves only when the server has confirmed it. Nothing expires.
 * An answer that changed nothing (a no-op) or a refusal stays, marked, until
 * the person has seen it: no outcome is dropped silently.
 */
import type { NoOpDetail } from '$lib/contracts/attendance-messages';
import type { PlaceClaim } from '$lib/contracts/kiosk-protocol';
import type { SyncResult } from '$lib/contracts/sync-protocol';
import { registerDb, type OutboxEntry } from './db';

/** This browser's id, made once and kept. */
export async function deviceId(): Promise<string> {
	const db = await registerDb();
	const known = await db.get('meta', 'deviceId');
	if (typeof known === 'string') return known;
	const id = crypto.randomUUID();
	await db.put('meta', id, 'deviceId');
	return id;
}

/** Remembers whose session this browser has, so background sync sends only their actions. */
export async function setCurrentUser(userId: number): Promise<void> {
	await (await registerDb()).put('meta', userId, 'currentUserId');
}

export async function currentUser(): Promise<number | null> {
	const value = await (await registerDb()).get('meta', 'currentUserId');
	return typeof value === 'number' ? value : null;
}

/**
 * Queues an action with the next number of this device's sequence, taken in
 * the same IndexedDB transaction as the write, so two tabs never share one.
 */
export async function enqueue(person: { userId: number; firstName: string }, kind: OutboxEntry['kind'], at: Date, place?: PlaceClaim): Promise<OutboxEntry> {
	const device = await deviceId();
	const db = await registerDb();
	const tx = db.transaction(['outbox', 'meta'], 'readwrite');
	const last = await tx.objectStore('meta').get('deviceSeq');
	const seq = (typeof last === 'number' ? last : 0) + 1;
	const entry: OutboxEntry = { id: crypto.randomUUID(), kind, clientAt: at.toISOString(), deviceId: device, seq, ...person, ...(place ? { place } : {}) };
	await Promise.all([tx.objectStore('meta').put(seq, 'deviceSeq'), tx.objectStore('outbox').put(entry), tx.done]);
	return entry;
}

/** Device order: the sequence number, or the clock for entries queued before there was one. */
const deviceOrder = (a: OutboxEntry, b: OutboxEntry) => (a.seq ?? 0) - (b.seq ?? 0) || a.clientAt.localeCompare(b.clientAt);

/** The person's entries in the order they were made. */
export async function entriesFor(userId: number): Promise<OutboxEntry[]> {
	const all = await (await registerDb()).getAllFromIndex('outbox', 'by-user', userId);
	return all.sort(deviceOrder);
}

/** Everyone's entries, for saying whose actions still wait on this phone. */
export async function allEntries(): Promise<OutboxEntry[]> {
	return (await (await registerDb()).getAll('outbox')).sort(deviceOrder);
}

export const isWaiting = (entry: OutboxEntry) => entry.rejectedReason === undefined && entry.noOp === undefined;

/** Refusals that mean "not for this session" rather than "never": the entry keeps waiting for its person. */
const keepsWaiting = new Set(['other-user']);

/** Drops what the server confirmed, marks what it refused or found already done; anything unanswered stays. */
export async function settle(results: SyncResult[]): Promise<void> {
	const db = await registerDb();
	const tx = db.transaction('outbox', 'readwrite');
	for (const result of results) {
		if (!result.id) continue;
		if (result.outcome === 'rejected' && keepsWaiting.has(result.reason ?? '')) continue;
		if (result.outcome === 'rejected' || (result.outcome === 'no-op' && result.detail)) {
			const entry = await tx.store.get(result.id);
			if (!entry) continue;
			const answer: Partial<OutboxEntry> =
				result.outcome === 'rejected' ? { rejectedReason: result.reason ?? 'rejected' } : { noOp: result.detail as NoOpDetail };
			await tx.store.put({ ...entry, ...answer });
		} else {
			await tx.store.delete(result.id);
		}
	}
	await tx.done;
}

/** Hands a merged-away account's entries to the account it was merged into. */
export async function reassign(ids: readonly string[], userId: number, firstName: string): Promise<void> {
	const db = await registerDb();
	const tx = db.transaction('outbox', 'readwrite');
	for (const id of ids) {
		const entry = await tx.store.get(id);
		if (entry) await tx.store.put({ ...entry, userId, firstName });
	}
	await tx.done;
}

export async function dismiss(id: string): Promise<void> {
	await (await registerDb()).delete('outbox', id);
}
