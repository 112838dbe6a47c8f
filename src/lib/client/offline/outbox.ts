/**
 * The outbox: every sign-in and sign-out is written here before anything
 * else, and leaves only when the server has confirmed it. Nothing expires.
 */
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

export async function enqueue(userId: number, kind: OutboxEntry['kind'], at: Date): Promise<OutboxEntry> {
	const entry: OutboxEntry = { id: crypto.randomUUID(), kind, clientAt: at.toISOString(), deviceId: await deviceId(), userId };
	await (await registerDb()).put('outbox', entry);
	return entry;
}

/** The person's entries in the order they happened. */
export async function entriesFor(userId: number): Promise<OutboxEntry[]> {
	const all = await (await registerDb()).getAllFromIndex('outbox', 'by-user', userId);
	return all.sort((a, b) => a.clientAt.localeCompare(b.clientAt));
}

export const isWaiting = (entry: OutboxEntry) => entry.rejectedReason === undefined;

/** Drops what the server confirmed and marks what it refused; anything unanswered stays. */
export async function settle(results: SyncResult[]): Promise<void> {
	const db = await registerDb();
	const tx = db.transaction('outbox', 'readwrite');
	for (const result of results) {
		if (!result.id) continue;
		if (result.outcome === 'rejected') {
			const entry = await tx.store.get(result.id);
			if (entry) await tx.store.put({ ...entry, rejectedReason: result.reason ?? 'rejected' });
		} else {
			await tx.store.delete(result.id);
		}
	}
	await tx.done;
}

export async function dismiss(id: string): Promise<void> {
	await (await registerDb()).delete('outbox', id);
}
