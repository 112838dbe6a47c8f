/** Page and endpoint guards: send strangers to the login page, refuse the wrong role. */
import { error, redirect } from '@sveltejs/kit';
import type { SessionUser } from '../api/context';

/** The login page that brings a person back to `url` afterwards. */
export const loginPathFor = (url: URL): string => `/login?next=${encodeURIComponent(safeNext(url.pathname + url.search, url.origin))}`;

export function requireUser(user: SessionUser | null, url: URL): SessionUser {
	if (!user) redirect(303, loginPathFor(url));
	return user;
}

export function requireAdmin(user: SessionUser | null, url: URL): SessionUser {
	const someone = requireUser(user, url);
	if (someone.role !== 'admin') error(403, 'Only admins can see this page.');
	return someone;
}

/**
 * Where to go after a login: only a place on this site. `next` is parsed the
 * way a browser would (tabs and newlines dropped, backslashes read as slashes),
 * so `/%09/evil`, `/\\evil` or `https://evil` cannot leave the site; what is
 * kept is the normalised path, query and hash, which also makes it safe to
 * put in a Location header.
 */
export function safeNext(next: string | null | undefined, origin: string): string {
	if (!next) return '/';
	let target: URL;
	try {
		target = new URL(next, origin);
	} catch {
		return '/';
	}
	if (target.origin !== new URL(origin).origin) return '/';
	// `/.//evil` normalises to `//evil`, which a browser reads as another host.
	const path = target.pathname.replace(/^\/{2,}/, '/');
	return `${path}${target.search}${target.hash}`;
}

/** Marshals and admins: the fire roll call (issue 12). */
export function requireMarshalOrAdmin(user: SessionUser | null, url: URL): SessionUser {
	const someone = requireUser(user, url);
	if (someone.role !== 'marshal' && someone.role !== 'admin') error(403, 'Only fire marshals and admins can see this page.');
	return someone;
}
