/**
 * One round trip of the sync protocol: POST a batch to the tRPC mutation
 * `sync.push` and classify the answer. Used by the page and by the service
 * worker's background sync, so it needs nothing but fetch.
 */
import { MAX_SYNC_BATCH, SYNC_SCHEMA_VERSION, type SyncPushReply } from '$lib/contracts/sync-protocol';
import type { OutboxEntry } from './db';

/** The Background Sync tag the page registers and the service worker answers. */
export const BACKGROUND_SYNC_TAG = 'outbox-sync';

const PUSH_TIMEOUT_MS = 10_000;

export type PushResult =
	| { kind: 'ok'; reply: SyncPushReply }
	/** The session has expired or was revoked: keep the outbox, ask the person to log in. */
	| { kind: 'login' }
	/** Offline, server down or restarting: try again later. */
	| { kind: 'retry'; error: string };

export async function pushBatch(entries: OutboxEntry[], fetchFn: typeof fetch = fetch): Promise<PushResult> {
	const actions = entries.slice(0, MAX_SYNC_BATCH).map(({ id, kind, clientAt, deviceId, seq, userId, place }) => ({
		id,
		kind,
		clientAt,
		deviceId,
		seq,
		userId,
		place,
	}));
	let response: Response;
	try {
		response = await fetchFn('/api/trpc/sync.push', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			credentials: 'same-origin',
			body: JSON.stringify({ schemaVersion: SYNC_SCHEMA_VERSION, actions }),
			// A weak signal at the entrance must not hold the queue: give up and retry later.
			signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
		});
	} catch (error) {
		return { kind: 'retry', error: error instanceof Error ? error.message : 'network error' };
	}
	if (response.status === 401 || response.status === 403) return { kind: 'login' };
	if (!response.ok) return { kind: 'retry', error: `server answered ${response.status}` };
	try {
		const body = (await response.json()) as { result: { data: SyncPushReply } };
		return { kind: 'ok', reply: body.result.data };
	} catch {
		return { kind: 'retry', error: 'unreadable reply' };
	}
}

/**
 * Which of these user ids were merged into the logged-in account, so their
 * waiting entries can go as its own. Any failure answers "none" (they wait).
 */
export async function claimableUserIds(userIds: number[], fetchFn: typeof fetch = fetch): Promise<number[]> {
	try {
		const input = encodeURIComponent(JSON.stringify({ userIds }));
		const response = await fetchFn(`/api/trpc/sync.claimable?input=${input}`, { credentials: 'same-origin', signal: AbortSignal.timeout(PUSH_TIMEOUT_MS) });
		if (!response.ok) return [];
		const body = (await response.json()) as { result: { data: { userIds: number[] } } };
		return body.result.data.userIds;
	} catch {
		return [];
	}
}
