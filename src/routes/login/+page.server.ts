import type { PageServerLoad } from './$types';
import { loginMethods } from '$server/domain/identity/login-methods';
import { safeNext } from '$server/web/guards';

export const load: PageServerLoad = ({ locals, url }) => {
	const methods = loginMethods();
	return {
		methods: methods.map((m) => ({ id: m.id, label: m.label, kind: m.kind })),
		devLoginOn: methods.some((m) => m.id === 'dev'),
		loggedInAs: locals.user?.firstName ?? null,
		// Sanitised here too, so the page never carries a foreign target into its links.
		next: url.searchParams.has('next') ? safeNext(url.searchParams.get('next'), url.origin) : null,
	};
};
