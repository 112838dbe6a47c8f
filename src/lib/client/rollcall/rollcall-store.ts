/**
 * The roll call's IndexedDB (stores `rollcall` and `rollcallOutbox`,
 * version 3): the last evacuation snapshot and this phone's roll call
 * actions. The rules live in rollcall-rules.ts; this file only reads and
 * writes, each change in one transaction with nothing else awaited inside.
 */
import type { SyncResult } from '$lib/contracts/sync-protocol';
import { registerDb } from '../offline/db';
import { answered, byEventTime, canForget } from './rollcall-rules';
import type { RollCallOutboxEntry, StoredSnapshot } from './rollcall-types';

export async function loadSnapshot(): Promise<StoredSnapshot | null> {
	return ((await (await registerDb()).get('rollcall', 'snapshot')) as StoredSnapshot | undefined) ?? null;
}

/** Keeps a fresh snapshot and forgets the confirmed actions it now reflects. */
export async function saveSnapshot(stored: StoredSnapshot): Promise<void> {
	const db = await registerDb();
	const tx = db.transaction(['rollcall', 'rollcallOutbox'], 'readwrite');
	const outbox = tx.objectStore('rollcallOutbox');
	const forget = (await outbox.getAll()).filter((entry) => canForget(entry, stored.requestedAt));
	await Promise.all([tx.objectStore('rollcall').put(stored, 'snapshot'), ...forget.map((entry) => outbox.delete(entry.id)), tx.done]);
}

/** The list holds names and phone numbers: it leaves with the session (the queued marks stay, like the staff outbox). */
export async function forgetSnapshot(): Promise<void> {
	await (await registerDb()).delete('rollcall', 'snapshot');
}

export async function enqueueAction(entry: RollCallOutboxEntry): Promise<void> {
	await (await registerDb()).put('rollcallOutbox', entry);
}

/** Every action the phone still holds (waiting, confirmed but not yet in a snapshot, refused), in event order. */
export async function allActions(): Promise<RollCallOutboxEntry[]> {
	return (await (await registerDb()).getAll('rollcallOutbox')).sort(byEventTime);
}

/** Records the server's answers: confirmed actions are marked (kept until a snapshot reflects them), refused ones keep their reason. */
export async function settleActions(results: readonly SyncResult[], now = Date.now()): Promise<void> {
	const db = await registerDb();
	const tx = db.transaction('rollcallOutbox', 'readwrite');
	const updates: RollCallOutboxEntry[] = [];
	for (const result of results) {
		if (!result.id) continue;
		const entry = await tx.store.get(result.id);
		if (entry) updates.push(answered(entry, result, now));
	}
	await Promise.all([...updates.map((entry) => tx.store.put(entry)), tx.done]);
}

/** The marshal has read a refusal. */
export async function dismissAction(id: string): Promise<void> {
	await (await registerDb()).delete('rollcallOutbox', id);
}
