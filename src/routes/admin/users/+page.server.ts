import type { PageServerLoad } from './$types';
import { searchInput } from '$lib/contracts/people';
import { dateInWordsFrom, localDate } from '$server/domain/shared/clock';
import { searchUsers } from '$server/domain/people/people-admin';
import { requireAdmin } from '$server/web/guards';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals.user, url);
	const parsed = searchInput.safeParse({ query: url.searchParams.get('q') ?? '' });
	const query = parsed.success ? parsed.data.query : '';
	const users = await searchUsers(query);
	return {
		query: url.searchParams.get('q') ?? '',
		problem: parsed.success ? null : parsed.error.issues[0]!.message,
		erased: url.searchParams.get('erased'),
		users: users.map((u) => ({
			id: u.id,
			name: `${u.firstName} ${u.lastName}`,
			username: u.username,
			role: u.role,
			since: dateInWordsFrom(localDate(u.createdAt)),
			contacts: u.contacts,
		})),
	};
};
