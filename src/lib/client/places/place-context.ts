/**
 * The poster and presence pages' data: fetched from `/place-context.json`
 * (the service worker answers with its kept copy offline). Which entrance a
 * link names, and whether a presence code is fresh enough to use, are
 * decided here, not in the pages.
 */
import type { SyncStatus } from '$lib/contracts/sync-protocol';
import { PRESENCE_SLOT_SECONDS, PRESENCE_TOLERANCE_MS, slotStart } from '$lib/contracts/kiosk-protocol';
import type { BuildingRules } from '../attendance/staff-status';

export interface PlaceContext {
	person: { userId: number; firstName: string };
	status: SyncStatus;
	rules: BuildingRules;
	declaration: string;
	locations: Array<{ slug: string; name: string; requiresPresence: boolean }>;
	kiosks: Array<{ id: number; location: { slug: string; name: string } | null }>;
}

export type ContextReply = { kind: 'ok'; context: PlaceContext } | { kind: 'login' } | { kind: 'offline' };

export async function loadPlaceContext(fetchFn: typeof fetch): Promise<ContextReply> {
	try {
		const response = await fetchFn('/place-context.json', { credentials: 'same-origin' });
		if (response.status === 401) return { kind: 'login' };
		if (!response.ok) return { kind: 'offline' };
		return { kind: 'ok', context: (await response.json()) as PlaceContext };
	} catch {
		return { kind: 'offline' };
	}
}

/** The login page that brings the person back to this confirm page. */
export const loginPath = (url: URL) => `/login?next=${encodeURIComponent(url.pathname + url.search)}`;

/** Whether the phone's clock says a presence slot is still usable (the server checks again). */
export function presenceLooksFresh(slot: number, now: number): boolean {
	const start = slotStart(slot);
	const end = start + PRESENCE_SLOT_SECONDS * 1000;
	const distance = now < start ? start - now : now >= end ? now - end : 0;
	return distance <= PRESENCE_TOLERANCE_MS;
}
