/**
 * A person's own account: their name, their contact details (added with a code,
 * removed while another one can still log in), for the /profile page and API.
 */
import { Op } from 'sequelize';
import { transaction } from '../../db/database';
import { AuditRecord } from '../../db/models/attendance.model';
import { ContactDetail, User, UserSettings, type ContactMethod } from '../../db/models/people.model';
import type { AuditInput } from '../shared/audit';
import type { ContactInput } from '../identity/contacts';
import { DomainError } from '../shared/errors';
import { requestCode, type Requester } from '../identity/login';
import { redeemCodeForUser } from '../identity/login-codes';
import { codeLoginMethod, type CodeLoginMethod } from '../identity/login-methods';
import { rateLimits } from '../identity/rate-limits';
import { findUser, validateName } from './users';

/** Contact methods a code can be sent to, and so that can log in. */
const loginCapable: readonly ContactMethod[] = ['email', 'sms'];

export interface ContactView {
	id: number;
	method: ContactMethod;
	value: string;
	addedAt: Date;
	/** When it was last used to log in (its audit stamp), or null if never. */
	lastUsedAt: Date | null;
	canLogIn: boolean;
}

export async function contactsOf(userId: number): Promise<ContactView[]> {
	const rows = await ContactDetail.findAll({ where: { userId }, order: [['method', 'ASC'], ['id', 'ASC']] });
	const auditIds = rows.map((r) => r.auditId).filter((id): id is number => id != null);
	const audits = auditIds.length ? await AuditRecord.findAll({ attributes: ['id', 'at'], where: { id: auditIds } }) : [];
	const at = new Map(audits.map((a) => [a.id, a.at]));
	return rows.map((r) => ({
		id: r.id,
		method: r.method,
		value: r.value,
		addedAt: r.createdAt,
		lastUsedAt: r.auditId != null ? (at.get(r.auditId) ?? null) : null,
		canLogIn: loginCapable.includes(r.method),
	}));
}

export async function renameUser(userId: number, input: { firstName?: string; lastName?: string }): Promise<User> {
	const firstName = validateName(input.firstName, 'First name');
	const lastName = validateName(input.lastName, 'Last name');
	return transaction(async (t) => {
		const user = await findUser(userId, t);
		// The username stays: it is how admins and exports know the person.
		return user.update({ firstName, lastName }, { transaction: t });
	});
}

/** The configured code method for a new contact: email or SMS by its shape, else the development console. */
export function methodForNewContact(raw: string): CodeLoginMethod {
	const isEmail = raw.includes('@');
	const method = codeLoginMethod(isEmail ? 'email' : 'sms') ?? codeLoginMethod('dev');
	if (!method) {
		const what = isEmail ? 'email address' : 'phone number';
		throw new DomainError('unavailable', `Codes cannot be sent to a ${what} here, so one cannot be added.`, 'contact');
	}
	return method;
}

async function refuseOthersContact(userId: number, contact: ContactInput): Promise<void> {
	const row = await ContactDetail.findOne({ where: { method: contact.method, value: contact.value } });
	if (row?.userId === userId) throw new DomainError('conflict', `${contact.value} is already on your account.`, 'contact');
	if (row?.userId != null) {
		throw new DomainError('conflict', 'That address already belongs to another account: log in with it, or ask an admin to merge the accounts.', 'contact');
	}
}

/** Step one of adding a contact: send it a code (not to one that is already someone's), rate-limited as logins are. */
export async function requestContactCode(userId: number, raw: string, requester: Requester = { ip: null }): Promise<{ contact: string }> {
	const method = methodForNewContact(raw);
	const contact = method.parseContact(raw);
	await refuseOthersContact(userId, contact);
	await requestCode(method, raw, requester);
	return { contact: contact.value };
}

/** Step two: the right code attaches the contact to the person; it is stamped as used. Guesses count as login guesses. */
export async function addContactWithCode(userId: number, raw: string, code: string, audit: AuditInput): Promise<ContactView> {
	const contact = methodForNewContact(raw).parseContact(raw);
	const limits = rateLimits();
	const requester = { contact, ip: audit.ip };
	await limits.consume('code-guess', requester);
	const row = await redeemCodeForUser({ contact, code, userId, audit });
	// A right code gives its guess back, as on the login page.
	await limits.refund('code-guess', requester);
	const added = (await contactsOf(userId)).find((c) => c.id === row.id);
	if (!added) throw new DomainError('conflict', 'That contact detail changed hands meanwhile: try again.', 'contact');
	return added;
}

/** Removes one of the person's contact details, but never the last one they can log in with. */
export async function removeContact(userId: number, contactId: number): Promise<void> {
	await transaction(async (t) => {
		// Locking the person serialises two removals, so they cannot both pass the last-one check.
		await User.findByPk(userId, { transaction: t, lock: t.LOCK.UPDATE });
		const row = await ContactDetail.findOne({ where: { id: contactId, userId }, transaction: t });
		if (!row) throw new DomainError('not-found', 'That contact detail is not on your account.', 'contactId');
		if (loginCapable.includes(row.method)) {
			const others = await ContactDetail.count({
				where: { userId, method: loginCapable as ContactMethod[], id: { [Op.ne]: row.id } },
				transaction: t,
			});
			if (others === 0) {
				throw new DomainError('conflict', 'This is the only address you can log in with: add another one before removing it.', 'contactId');
			}
		}
		await row.destroy({ transaction: t });
	});
}

/** Whether the person gets sign-out reminders (on unless they turned them off). */
export async function remindersOn(userId: number): Promise<boolean> {
	return (await UserSettings.findByPk(userId))?.reminders ?? true;
}

/** The person's own switch for sign-out reminders (the "did not sign out" link still comes: it fixes their record). */
export async function setReminders(userId: number, on: boolean): Promise<boolean> {
	await findUser(userId);
	await UserSettings.upsert({ userId, reminders: on });
	return on;
}
