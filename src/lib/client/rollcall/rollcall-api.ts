/**
 * The roll call's calls to the register over plain fetch (like the staff
 * outbox's push.ts: no tRPC client in the page's bundle). Every answer is
 * classified here so the sync loop only acts on it.
 */
import type { EvacuationSnapshot, RollCallActionInput } from '$lib/contracts/rollcall-protocol';
import { MAX_SYNC_BATCH, SYNC_SCHEMA_VERSION, type SyncResult } from '$lib/contracts/sync-protocol';

const TIMEOUT_MS = 10_000;

export type RollCallReply<T> =
	| { kind: 'ok'; data: T }
	/** The session has expired or the role changed: keep everything, ask for a login. */
	| { kind: 'login' }
	/** Offline, server down or restarting: try again later. */
	| { kind: 'retry'; error: string };

async function call<T>(path: string, init: RequestInit, fetchFn: typeof fetch): Promise<RollCallReply<T>> {
	let response: Response;
	try {
		response = await fetchFn(`/api/trpc/${path}`, { credentials: 'same-origin', signal: AbortSignal.timeout(TIMEOUT_MS), ...init });
	} catch (error) {
		return { kind: 'retry', error: error instanceof Error ? error.message : 'network error' };
	}
	if (response.status === 401 || response.status === 403) return { kind: 'login' };
	if (!response.ok) return { kind: 'retry', error: `server answered ${response.status}` };
	try {
		const body = (await response.json()) as { result: { data: T } };
		return { kind: 'ok', data: body.result.data };
	} catch {
		return { kind: 'retry', error: 'unreadable reply' };
	}
}

/** Who is in now, and the open roll call (marshals and admins only). */
export const fetchSnapshot = (fetchFn: typeof fetch = fetch) => call<EvacuationSnapshot>('rollcall.snapshot', { method: 'GET' }, fetchFn);

/** One batch of roll call actions through the same `sync.push` the phones' sign-ins use. */
export const pushActions = (actions: readonly RollCallActionInput[], fetchFn: typeof fetch = fetch) =>
	call<{ results: SyncResult[] }>(
		'sync.push',
		{ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ schemaVersion: SYNC_SCHEMA_VERSION, actions: actions.slice(0, MAX_SYNC_BATCH) }) },
		fetchFn,
	);
