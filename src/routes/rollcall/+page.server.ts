import type { PageServerLoad } from './$types';
import { requireMarshalOrAdmin } from '$server/web/guards';

/** The list itself comes from the phone's IndexedDB, so the service worker's kept copy of this page works offline. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const me = requireMarshalOrAdmin(locals.user, url);
	return { marshal: { firstName: me.firstName } };
};
