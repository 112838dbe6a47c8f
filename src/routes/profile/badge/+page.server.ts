import { getSetting } from '$server/domain/shared/settings';
import type { PageServerLoad } from './$types';
import { badgePath, badgeToShow } from '$server/domain/kiosk/badges';
import { requireUser } from '$server/web/guards';
import { qrDataUrl } from '$server/web/qr';

/** The printable card; a person without a badge gets one here (opening the card is asking for it). */
export const load: PageServerLoad = async ({ locals, url }) => {
	const me = requireUser(locals.user, url);
	const badge = await badgeToShow(me.id);
	return {
		card: { firstName: me.firstName, lastName: me.lastName, qr: await qrDataUrl(new URL(badgePath(badge.secret), url.origin).toString()), buildingName: await getSetting('buildingName') },
	};
};
