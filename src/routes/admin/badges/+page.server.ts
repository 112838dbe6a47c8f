import type { Actions, PageServerLoad } from './$types';
import { badgeUsers } from '$lib/contracts/kiosk';
import { User } from '$server/db/models/people.model';
import { issueBadges, liveBadges, revokeBadges } from '$server/domain/kiosk/badges';
import { momentInWords } from '$server/domain/shared/clock';
import { adminActor } from '$server/web/admin-actor';
import { formAction, readForm } from '$server/web/forms';
import { requireAdmin } from '$server/web/guards';
import { DomainError } from '$server/domain/shared/errors';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals.user, url);
	const people = await User.findAll({ attributes: ['id', 'firstName', 'lastName'], order: [['firstName', 'ASC'], ['lastName', 'ASC']] });
	const badges = await liveBadges(people.map((p) => p.id));
	return {
		people: people.map((p) => {
			const badge = badges.get(p.id);
			return { id: p.id, name: `${p.firstName} ${p.lastName}`, badge: badge ? momentInWords(badge.createdAt) : null };
		}),
	};
};

function chosen(form: FormData): number[] {
	const parsed = badgeUsers.safeParse({ userIds: form.getAll('ids').map(String) });
	if (!parsed.success) throw new DomainError('invalid-input', parsed.error.issues[0]!.message);
	return parsed.data.userIds;
}

export const actions: Actions = {
	issue: async (event) => {
		const actor = adminActor(event);
		const form = await readForm(event);
		return formAction(async () => ({ issued: (await issueBadges(chosen(form), actor)).length }));
	},
	revoke: async (event) => {
		const actor = adminActor(event);
		const form = await readForm(event);
		return formAction(async () => ({ revoked: await revokeBadges(chosen(form), actor) }));
	},
};
