import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { addContactForm, contactIdForm, nameInput, remindersForm, verifyContactForm } from '$lib/contracts/people';
import { config } from '$server/config';
import { momentInWords } from '$server/domain/shared/clock';
import { loginLinkPath } from '$server/domain/identity/login-links';
import { hasLoginToken, issueLoginToken, revokeLoginToken } from '$server/domain/identity/login-tokens';
import { addContactWithCode, contactsOf, remindersOn, removeContact, renameUser, requestContactCode, setReminders } from '$server/domain/people/profile';
import { endOtherSessions, listSessions } from '$server/domain/identity/sessions';
import { findUser } from '$server/domain/people/users';
import { field, formAction, parseForm, readForm } from '$server/web/forms';
import { requireUser } from '$server/web/guards';
import { shownLink } from '$server/web/qr';
import { auditFrom } from '$server/web/request';
import { badgePath, issueBadge, liveBadges } from '$server/domain/kiosk/badges';
import { qrDataUrl } from '$server/web/qr';

export const load: PageServerLoad = async ({ locals, url }) => {
	const me = requireUser(locals.user, url);
	const [user, contacts, link, sessions, badges, reminders] = await Promise.all([
		findUser(me.id),
		contactsOf(me.id),
		hasLoginToken(me.id),
		listSessions(me.id, locals.sessionToken),
		liveBadges([me.id]),
		remindersOn(me.id),
	]);
	const badge = badges.get(me.id);
	return {
		// Web Push: the VAPID public key the browser subscribes with, or null when push is off.
		pushKey: config().vapid?.publicKey ?? null,
		user: { username: user.username, firstName: user.firstName, lastName: user.lastName },
		// A device's push subscription is managed under "Notifications on this device", not as an address.
		contacts: contacts.filter((c) => c.method !== 'webpush').map((c) => ({
			id: c.id,
			method: c.method,
			value: c.value,
			lastUsed: c.lastUsedAt ? momentInWords(c.lastUsedAt) : 'never',
			canLogIn: c.canLogIn,
		})),
		reminders,
		link: link ? { created: momentInWords(link.createdAt) } : null,
		// Inline SVG, so a kept copy of the page still shows it offline.
		badge: badge ? { qr: await qrDataUrl(new URL(badgePath(badge.secret), url.origin).toString()), created: momentInWords(badge.createdAt) } : null,
		sessions: sessions.map((s) => ({
			userAgent: s.userAgent ?? 'Unknown browser',
			created: momentInWords(s.createdAt),
			lastSeen: momentInWords(s.lastSeenAt),
			current: s.current,
		})),
	};
};

/** Every action needs the person logged in; the form data comes with them. */
async function me(event: RequestEvent) {
	const user = requireUser(event.locals.user, event.url);
	return { user, form: await readForm(event) };
}

export const actions: Actions = {
	rename: async (event) => {
		const { user, form } = await me(event);
		return formAction(
			async () => {
				await renameUser(user.id, parseForm(nameInput, form, ['firstName', 'lastName']));
				return { section: 'name' as const, renamed: true };
			},
			{ section: 'name', firstName: field(form, 'firstName'), lastName: field(form, 'lastName') },
		);
	},

	requestContact: async (event) => {
		const { user, form } = await me(event);
		const raw = field(form, 'contact') ?? '';
		return formAction(
			async () => {
				const input = parseForm(addContactForm, form, ['contact']);
				const sent = await requestContactCode(user.id, input.contact, { ip: auditFrom(event).ip });
				return { section: 'contact' as const, addStep: 'code' as const, contact: input.contact, sentTo: sent.contact };
			},
			{ section: 'contact', addStep: 'contact', contact: raw },
		);
	},

	verifyContact: async (event) => {
		const { user, form } = await me(event);
		const raw = field(form, 'contact') ?? '';
		return formAction(
			async () => {
				const input = parseForm(verifyContactForm, form, ['contact', 'code']);
				const added = await addContactWithCode(user.id, input.contact, input.code, auditFrom(event));
				return { section: 'contact' as const, added: added.value };
			},
			{ section: 'contact', addStep: 'code', contact: raw },
		);
	},

	removeContact: async (event) => {
		const { user, form } = await me(event);
		return formAction(
			async () => {
				await removeContact(user.id, parseForm(contactIdForm, form, ['contactId']).contactId);
				return { section: 'contact' as const, removed: true };
			},
			{ section: 'contact' },
		);
	},

	reminders: async (event) => {
		const { user, form } = await me(event);
		return formAction(
			async () => {
				const on = parseForm(remindersForm, form, ['reminders']).reminders === 'on';
				return { section: 'reminders' as const, remindersSaved: await setReminders(user.id, on) };
			},
			{ section: 'reminders' },
		);
	},

	createLink: async (event) => {
		const { user } = await me(event);
		const token = await issueLoginToken(user.id);
		return { section: 'link' as const, ...(await shownLink(event.url.origin, loginLinkPath(token))) };
	},

	/** A first badge, or a new one (the old one stops working at the kiosk). */
	issueBadge: async (event) => {
		const { user } = await me(event);
		await issueBadge(user.id);
		return { section: 'badge' as const, issued: true };
	},

	revokeLink: async (event) => {
		const { user } = await me(event);
		return { section: 'link' as const, revoked: await revokeLoginToken(user.id) };
	},

	signOutOthers: async (event) => {
		const { user } = await me(event);
		return { section: 'sessions' as const, ended: await endOtherSessions(user.id, event.locals.sessionToken) };
	},
};
