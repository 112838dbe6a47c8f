import { error } from '@sveltejs/kit';
import { getSetting } from '$server/domain/shared/settings';
import type { PageServerLoad } from './$types';
import { ENTRANCE_PATH } from '$lib/contracts/kiosk-protocol';
import { locationBySlug } from '$server/domain/kiosk/locations';
import { requireAdmin } from '$server/web/guards';
import { qrDataUrl } from '$server/web/qr';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireAdmin(locals.user, url);
	const location = await locationBySlug(params.slug);
	if (!location) error(404, 'No such location.');
	const link = new URL(`${ENTRANCE_PATH}${location.slug}`, url.origin).toString();
	return { location, link, qr: await qrDataUrl(link), buildingName: await getSetting('buildingName') };
};
