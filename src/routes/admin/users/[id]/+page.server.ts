import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireAdmin } from '$server/web/guards';

/** The person page moved to /admin/people/[id]; old links and bookmarks follow it. */
export const load: PageServerLoad = ({ locals, url, params }) => {
	requireAdmin(locals.user, url);
	redirect(308, `/admin/people/${encodeURIComponent(params.id)}${url.search}`);
};
