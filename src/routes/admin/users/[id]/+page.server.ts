import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { eraseForm, roleForm, roleNames, userId as userIdSchema } from '$lib/contracts/people';
import { dateInWordsFrom, localDate, localTime, momentInWords } from '$server/domain/shared/clock';
import { loginLinkPath } from '$server/domain/identity/login-links';
import { createLoginLinkFor, revokeLoginLinkFor, setRole, userDetail } from '$server/domain/people/people-admin';
import { eraseUser } from '$server/domain/people/people-merge';
import { field, formAction, parseForm, readForm } from '$server/web/forms';
import { requireAdmin } from '$server/web/guards';
import { adminActor } from '$server/web/admin-actor';
import { shownLink } from '$server/web/qr';
import { isDomainError } from '$server/domain/shared/errors';

function idOf(params: { id: string }): number {
	const parsed = userIdSchema.safeParse(params.id);
	if (!parsed.success) error(404, 'No such user.');
	return parsed.data;
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const admin = requireAdmin(locals.user, url);
	const detail = await userDetail(idOf(params)).catch((e: unknown) => {
		if (isDomainError(e) && e.code === 'not-found') error(404, 'No such user.');
		throw e;
	});
	return {
		isMe: detail.user.id === admin.id,
		roles: roleNames,
		merged: url.searchParams.get('merged'),
		user: { ...detail.user, since: dateInWordsFrom(localDate(detail.user.createdAt)) },
		contacts: detail.contacts.map((c) => ({ id: c.id, method: c.method, value: c.value, lastUsed: c.lastUsedAt ? momentInWords(c.lastUsedAt) : 'never' })),
		records: detail.records.map((r) => ({ date: dateInWordsFrom(r.date), signIn: localTime(r.signInAt), signOut: r.signOutAt ? localTime(r.signOutAt) : null })),
		link: detail.loginLink ? { created: momentInWords(detail.loginLink.createdAt) } : null,
		sessions: detail.sessions,
		history: detail.history.map((h) => ({ at: momentInWords(h.at), action: h.action, details: JSON.stringify(h.details) })),
	};
};

async function formOf(event: RequestEvent) {
	const actor = adminActor(event);
	return { actor, id: idOf(event.params), form: await readForm(event) };
}

export const actions: Actions = {
	setRole: async (event) => {
		const { actor, id, form } = await formOf(event);
		return formAction(
			async () => {
				const { role } = parseForm(roleForm, form, ['role']);
				const user = await setRole(actor, id, role);
				// An admin who made themself staff can no longer see this page.
				if (id === actor.id && role !== 'admin') redirect(303, '/');
				return { section: 'role' as const, roleSaved: user.role };
			},
			{ section: 'role' },
		);
	},

	createLink: async (event) => {
		const { actor, id } = await formOf(event);
		return formAction(async () => {
			const token = await createLoginLinkFor(actor, id);
			return { section: 'link' as const, ...(await shownLink(event.url.origin, loginLinkPath(token))) };
		}, { section: 'link' });
	},

	revokeLink: async (event) => {
		const { actor, id } = await formOf(event);
		return formAction(async () => ({ section: 'link' as const, revoked: await revokeLoginLinkFor(actor, id) }), { section: 'link' });
	},

	erase: async (event) => {
		const { actor, id, form } = await formOf(event);
		const result = await formAction(
			async () => eraseUser(actor, { userId: id, ...parseForm(eraseForm, form, ['confirmUsername']) }),
			{ section: 'erase', confirmUsername: field(form, 'confirmUsername') ?? '' },
		);
		if ('erased' in result) redirect(303, `/admin/users?erased=${encodeURIComponent(result.username)}`);
		return result;
	},
};
