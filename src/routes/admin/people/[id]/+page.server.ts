import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { eraseForm, nameInput, roleForm, roleNames, sessionForm, userId as userIdSchema } from '$lib/contracts/people';
import { visitForm } from '$lib/contracts/reports';
import { dateInWordsFrom, localDate, localTime, momentInWords } from '$server/domain/shared/clock';
import { loginLinkPath } from '$server/domain/identity/login-links';
import { createLoginLinkFor, renamePerson, revokeLoginLinkFor, setRole, userDetail } from '$server/domain/people/people-admin';
import { eraseUser } from '$server/domain/people/people-merge';
import { endSessionsOf } from '$server/domain/people/person-sessions';
import { addVisit } from '$server/domain/attendance/added-visits';
import { issueBadges, revokeBadges } from '$server/domain/kiosk/badges';
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
	const now = new Date();
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
		records: detail.records.map((r) => ({ id: r.id, date: dateInWordsFrom(r.date), signIn: localTime(r.signInAt), signOut: r.signOutAt ? localTime(r.signOutAt) : null })),
		link: detail.loginLink ? { created: momentInWords(detail.loginLink.createdAt) } : null,
		badge: detail.badge ? { created: momentInWords(detail.badge.createdAt) } : null,
		sessions: detail.sessions.map((s) => ({ handle: s.handle, device: s.userAgent ?? 'Unknown browser', since: momentInWords(s.createdAt), lastSeen: momentInWords(s.lastSeenAt) })),
		today: localDate(now),
		history: detail.history.map((h) => ({ at: momentInWords(h.at), action: h.action, details: JSON.stringify(h.details) })),
	};
};

async function formOf(event: RequestEvent) {
	const actor = adminActor(event);
	return { actor, id: idOf(event.params), form: await readForm(event) };
}

export const actions: Actions = {
	rename: async (event) => {
		const { actor, id, form } = await formOf(event);
		return formAction(async () => {
			const user = await renamePerson(actor, id, parseForm(nameInput, form, ['firstName', 'lastName']));
			return { section: 'name' as const, nameSaved: `${user.firstName} ${user.lastName}` };
		}, { section: 'name' });
	},

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

	issueBadge: async (event) => {
		const { actor, id } = await formOf(event);
		return formAction(async () => ({ section: 'badge' as const, badgeIssued: (await issueBadges([id], actor)).length === 1 }), { section: 'badge' });
	},

	revokeBadge: async (event) => {
		const { actor, id } = await formOf(event);
		return formAction(async () => ({ section: 'badge' as const, badgesRevoked: await revokeBadges([id], actor) }), { section: 'badge' });
	},

	endSession: async (event) => {
		const { actor, id, form } = await formOf(event);
		return formAction(async () => {
			const { session } = parseForm(sessionForm, form, ['session']);
			return { section: 'sessions' as const, sessionsEnded: await endSessionsOf(actor, id, session) };
		}, { section: 'sessions' });
	},

	endAllSessions: async (event) => {
		const { actor, id } = await formOf(event);
		return formAction(async () => ({ section: 'sessions' as const, sessionsEnded: await endSessionsOf(actor, id, null) }), { section: 'sessions' });
	},

	addVisit: async (event) => {
		const { actor, id, form } = await formOf(event);
		const names = ['date', 'signIn', 'signOut', 'reason'] as const;
		const echo = Object.fromEntries(names.map((name) => [name, field(form, name) ?? '']));
		return formAction(async () => {
			const visit = await addVisit(actor, id, parseForm(visitForm, form, names));
			return { section: 'visit' as const, visitDate: visit.date, visitFrom: momentInWords(visit.signInAt) };
		}, { section: 'visit', visit: echo });
	},
};
