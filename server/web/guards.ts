/** Page and endpoint guards: send strangers to the login page, refuse the wrong role. */
import { error, redirect } from '@sveltejs/kit';
import type { SessionUser } from '../api/context';

export function requireUser(user: SessionUser | null, url: URL): SessionUser {
	if (!user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	return user;
}

export function requireAdmin(user: SessionUser | null, url: URL): SessionUser {
	const someone = requireUser(user, url);
	if (someone.role !== 'admin') error(403, 'Only admins can see this page.');
	return someone;
}

/** Only same-site relative paths, so `next` cannot send a person to another site. */
export function safeNext(next: string | null): string {
	return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
