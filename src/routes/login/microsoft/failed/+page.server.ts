import type { PageServerLoad } from './$types';
import { microsoftLoginFailures, type MicrosoftLoginFailureReason } from '$server/domain/identity/microsoft-login';
import { safeNext } from '$server/web/guards';

const isReason = (value: string | null): value is MicrosoftLoginFailureReason => value !== null && Object.hasOwn(microsoftLoginFailures, value);

export const load: PageServerLoad = ({ url }) => {
	const reason = url.searchParams.get('reason');
	const next = safeNext(url.searchParams.get('next'), url.origin);
	return {
		message: isReason(reason) ? microsoftLoginFailures[reason] : 'The Microsoft sign-in did not work: please try again.',
		canRetry: reason !== 'not-configured' && reason !== 'no-email',
		retry: next === '/' ? '/login/microsoft' : `/login/microsoft?next=${encodeURIComponent(next)}`,
	};
};
