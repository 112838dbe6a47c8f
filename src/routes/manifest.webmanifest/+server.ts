import { getSetting } from '$server/domain/shared/settings';
import type { RequestHandler } from './$types';

/** The web app manifest, named after the building. */
export const GET: RequestHandler = async () => {
	const name = await getSetting('buildingName');
	const manifest = {
		name,
		short_name: name.length > 12 ? 'Register' : name,
		description: 'Sign in and out of the building.',
		start_url: '/',
		scope: '/',
		display: 'standalone',
		// Phones in the hand, tablets on a reception desk in landscape.
		orientation: 'any',
		background_color: '#f3f4f6',
		theme_color: '#1d4ed8',
		icons: [
			{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
			{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
			{ src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
		],
	};
	return new Response(JSON.stringify(manifest), {
		headers: { 'content-type': 'application/manifest+json', 'cache-control': 'public, max-age=3600' },
	});
};
