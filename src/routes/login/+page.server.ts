import type { PageServerLoad } from './$types';
import { loginMethods } from '$server/domain/identity/login-methods';

export const load: PageServerLoad = ({ locals, url }) => {
	const methods = loginMethods();
	return {
		methods: methods.map((m) => ({ id: m.id, label: m.label, kind: m.kind })),
		devLoginOn: methods.some((m) => m.id === 'dev'),
		loggedInAs: locals.user?.firstName ?? null,
		next: url.searchParams.get('next'),
	};
};
