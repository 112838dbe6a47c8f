/**
 * The kiosk's calls to the register, over plain fetch (like the staff
 * outbox's push.ts: no tRPC client in the kiosk bundle). The kiosk
 * credential travels as the httpOnly cookie `kiosk.pair` set; when the
 * cookie is gone (cleared, expired) `kiosk.resume` sets it again from the
 * copy in IndexedDB. Every answer is classified here so the screen only has
 * to act on it.
 */
import type { KioskPairing, KioskPushReply, KioskRollCall, KioskRoster, KioskScanInput } from '$lib/contracts/kiosk-protocol';
import type { RollCallMarkInput, RollCallStartInput } from '$lib/contracts/rollcall-protocol';
import { MAX_SYNC_BATCH, SYNC_SCHEMA_VERSION } from '$lib/contracts/sync-protocol';

const TIMEOUT_MS = 10_000;

/** A reply the kiosk acts on; `retry` covers offline, timeouts and 5xx. */
export type KioskReply<T> =
	| { kind: 'ok'; data: T }
	| { kind: 'revoked' }
	| { kind: 'unpaired' }
	| { kind: 'refused'; code: string; message: string; domainCode?: string }
	| { kind: 'retry'; error: string };

interface TrpcErrorBody {
	error?: { message?: string; data?: { code?: string; domainCode?: string; httpStatus?: number } };
}

async function call<T>(path: string, init: RequestInit, fetchFn: typeof fetch): Promise<KioskReply<T>> {
	let response: Response;
	try {
		response = await fetchFn(`/api/trpc/${path}`, { credentials: 'same-origin', signal: AbortSignal.timeout(TIMEOUT_MS), ...init });
	} catch (error) {
		return { kind: 'retry', error: error instanceof Error ? error.message : 'network error' };
	}
	if (response.status >= 500 || response.status === 429) return { kind: 'retry', error: `server answered ${response.status}` };
	let body: ({ result?: { data: T } } & TrpcErrorBody) | null;
	try {
		body = (await response.json()) as { result?: { data: T } } & TrpcErrorBody;
	} catch {
		return { kind: 'retry', error: 'unreadable reply' };
	}
	if (response.ok && body.result) return { kind: 'ok', data: body.result.data };
	const message = body.error?.message ?? `server answered ${response.status}`;
	const code = body.error?.data?.code ?? String(response.status);
	if (message === 'kiosk-revoked' || body.error?.data?.domainCode === 'kiosk-revoked') return { kind: 'revoked' };
	if (response.status === 401 || message === 'kiosk-unpaired') return { kind: 'unpaired' };
	return { kind: 'refused', code, message, domainCode: body.error?.data?.domainCode };
}

const post = (input: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });

/** Trades a one-time pairing code for the kiosk's credential (also set as a cookie) and presence secret. */
export const pairKiosk = (code: string, fetchFn: typeof fetch = fetch) => call<KioskPairing>('kiosk.pair', post({ code }), fetchFn);

/** Sets the credential cookie again from the copy kept in IndexedDB. */
export const resumeKiosk = (credential: string, fetchFn: typeof fetch = fetch) => call<unknown>('kiosk.resume', post({ credential }), fetchFn);

/** Today's roster; `waiting` tells the admin list how many scans wait on this tablet. */
export function fetchRoster(waiting: number, fetchFn: typeof fetch = fetch): Promise<KioskReply<KioskRoster>> {
	const input = encodeURIComponent(JSON.stringify({ waiting }));
	return call<KioskRoster>(`kiosk.roster?input=${input}`, { method: 'GET' }, fetchFn);
}

/**
 * One batch of scans through the same `sync.push` the phones use. Scans
 * refused as `kiosk-unpaired` mean the cookie is missing, not that the scans
 * are bad: the reply is "unpaired", so the credential is restored and the
 * batch sent again instead of the scans being marked refused.
 */
export async function pushScans(actions: ReadonlyArray<KioskScanInput | RollCallMarkInput | RollCallStartInput>, fetchFn: typeof fetch = fetch): Promise<KioskReply<KioskPushReply>> {
	const reply = await call<KioskPushReply>('sync.push', post({ schemaVersion: SYNC_SCHEMA_VERSION, actions: actions.slice(0, MAX_SYNC_BATCH) }), fetchFn);
	if (reply.kind === 'ok' && reply.data.results.some((result) => result.reason === 'kiosk-unpaired')) return { kind: 'unpaired' };
	return reply;
}

/** The open fire roll call, or null: a light call the tablet makes every few seconds. */
export const fetchRollCall = (fetchFn: typeof fetch = fetch) => call<KioskRollCall | null>('kiosk.rollCall', { method: 'GET' }, fetchFn);

/** The pairing code as typed or scanned: capitals, no spaces or dashes. */
export const normalisePairingCode = (text: string): string => text.toUpperCase().replace(/[\s-]/g, '');
