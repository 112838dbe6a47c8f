import { error } from '@sveltejs/kit';
import { getSetting } from '$server/domain/shared/settings';
import type { PageServerLoad } from './$types';
import { badgeUsers } from '$lib/contracts/kiosk';
import { User } from '$server/db/models/people.model';
import { badgePath, issueBadges, liveBadges } from '$server/domain/kiosk/badges';
import { adminActor } from '$server/web/admin-actor';
import { qrDataUrl } from '$server/web/qr';

/** Cards for the chosen people; someone without a badge gets one (printing a card is issuing it). */
export const load: PageServerLoad = async (event) => {
	const { url } = event;
	const actor = adminActor(event);
	const parsed = badgeUsers.safeParse({ userIds: url.searchParams.getAll('ids') });
	if (!parsed.success) error(400, parsed.error.issues[0]!.message);
	const ids = parsed.data.userIds;
	const people = await User.findAll({ where: { id: ids }, attributes: ['id', 'firstName', 'lastName'], order: [['firstName', 'ASC'], ['lastName', 'ASC']] });
	const badges = await liveBadges(people.map((p) => p.id));
	const missing = people.filter((p) => !badges.has(p.id)).map((p) => p.id);
	if (missing.length) for (const badge of await issueBadges(missing, actor)) badges.set(badge.userId, badge);
	const buildingName = await getSetting('buildingName');
	return {
		cards: await Promise.all(
			people.map(async (p) => ({
				id: p.id,
				firstName: p.firstName,
				lastName: p.lastName,
				buildingName,
				qr: await qrDataUrl(new URL(badgePath(badges.get(p.id)!.secret), url.origin).toString()),
			})),
		),
	};
};
