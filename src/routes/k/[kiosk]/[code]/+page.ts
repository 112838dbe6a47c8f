/**
 * A kiosk's presence code, opened on a phone: a one-tap confirm at the
 * kiosk's location. Rendered in the browser like the poster page, so it
 * works offline; the phone's clock screens out a code that is plainly out of
 * date, and the server checks the code itself (see server/domain/kiosk/presence.ts).
 */
import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import { readPresencePath } from '$lib/contracts/kiosk-protocol';
import { loadPlaceContext, loginPath, presenceLooksFresh } from '$lib/client/places/place-context';

export const ssr = false;

export const load: PageLoad = async ({ fetch, params, url }) => {
	const presence = readPresencePath(`/k/${params.kiosk}/${params.code}`);
	if (!presence) return { state: 'invalid' as const };
	const reply = await loadPlaceContext(fetch);
	if (reply.kind === 'login') redirect(303, loginPath(url));
	if (reply.kind === 'offline') return { state: 'offline' as const };
	if (!presenceLooksFresh(presence.slot, Date.now())) return { state: 'stale' as const };
	const kiosk = reply.context.kiosks.find((k) => k.id === presence.kioskId);
	if (!kiosk) return { state: 'invalid' as const };
	return { state: 'ready' as const, presence, placeName: kiosk.location?.name ?? 'the kiosk', context: reply.context };
};
