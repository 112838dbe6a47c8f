/**
 * The entrance poster's page. Rendered in the browser (no server render), so
 * the service worker can answer any `/e/<slug>` offline with one kept shell;
 * the data comes from `/place-context.json`, kept by the worker too.
 */
import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import { loadPlaceContext, loginPath } from '$lib/client/places/place-context';

export const ssr = false;

export const load: PageLoad = async ({ fetch, params, url }) => {
	const reply = await loadPlaceContext(fetch);
	if (reply.kind === 'login') redirect(303, loginPath(url));
	if (reply.kind === 'offline') return { state: 'offline' as const, slug: params.slug };
	const location = reply.context.locations.find((l) => l.slug === params.slug.toLowerCase());
	if (!location) return { state: 'unknown' as const, slug: params.slug };
	return { state: location.requiresPresence ? ('presence-required' as const) : ('ready' as const), slug: location.slug, location, context: reply.context };
};
