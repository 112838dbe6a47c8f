import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { liveFeed } from '$server/web/event-wiring';
import { requireAdmin } from '$server/web/guards';

/** Who is in now, for the live view's polling fallback; admins only. */
export const GET: RequestHandler = async ({ locals, url }) => {
	requireAdmin(locals.user, url);
	return json(await liveFeed().snapshot(), { headers: { 'cache-control': 'no-store' } });
};
