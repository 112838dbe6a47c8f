/**
 * People whose email address another party has already verified (Microsoft
 * login, the mobile app's Graph token): their email contact detail is found
 * or created, a new contact gets a user named from the provider's claims,
 * and the contact is stamped with the login's audit record, as a code login
 * would do.
 */
import { transaction } from '../../db/database';
import type { Transaction } from 'sequelize';
import { ContactDetail, ExternalIdentity, User } from '../../db/models/people.model';
import { writeAudit, type AuditInput } from '../shared/audit';
import { parseEmail } from './contacts';
import { findOrCreateContact } from './login-codes';
import { createUser, NAME_MAX } from '../people/users';

export interface VerifiedIdentity {
	email: string;
	firstName: string;
	lastName: string;
}

const clean = (value: unknown): string => (typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : '');

/** A usable email address among the candidates, in order (`upn` and `preferred_username` are often one), or null. */
export function firstEmail(...candidates: unknown[]): string | null {
	for (const candidate of candidates) {
		const value = clean(candidate);
		if (!value) continue;
		try {
			return parseEmail(value).value;
		} catch {
			// not an email address: try the next candidate
		}
	}
	return null;
}

/**
 * First and last name from the provider's given and family names, else from
 * splitting the display name, else the email's local part; a missing last
 * name becomes "-" (the person can correct both on their profile).
 */
export function namesFrom(given: unknown, family: unknown, display: unknown, email: string): { firstName: string; lastName: string } {
	let firstName = clean(given);
	let lastName = clean(family);
	const words = clean(display).split(' ').filter(Boolean);
	if (!firstName && !lastName && words.length) {
		firstName = words[0]!;
		lastName = words.slice(1).join(' ');
	}
	firstName ||= email.split('@')[0]!;
	lastName ||= '-';
	return { firstName: firstName.slice(0, NAME_MAX), lastName: lastName.slice(0, NAME_MAX) };
}

/** The user behind a verified email address, created on first use; the contact is stamped with the audit. */
export function userForVerifiedEmail(identity: VerifiedIdentity, audit: AuditInput, at = new Date()): Promise<User> {
	return transaction((t) => claimEmail(identity, audit, at, t));
}

/**
 * Stamps the login on the email contact, creating a user for a new address
 * unless `owner` is already known. An address held by someone else stays
 * theirs: the directory account decides who logs in, not the mail field.
 */
async function claimEmail(identity: VerifiedIdentity, audit: AuditInput, at: Date, t: Transaction, owner?: User): Promise<User> {
	const found = await findOrCreateContact({ method: 'email', value: identity.email }, t);
	// Lock the contact so two first logins at once create one user, not two.
	const contact = (await ContactDetail.findByPk(found.id, { transaction: t, lock: t.LOCK.UPDATE }))!;
	const holder = contact.userId ? await User.findByPk(contact.userId, { transaction: t }) : null;
	const user = owner ?? holder ?? (await createUser({ firstName: identity.firstName, lastName: identity.lastName }, t));
	const record = await writeAudit(audit, at, t);
	if (!holder || holder.id === user.id) await contact.update({ userId: user.id, auditId: record.id }, { transaction: t });
	return user;
}

async function holderOf(email: string, t: Transaction): Promise<User | null> {
	const contact = await ContactDetail.findOne({ where: { method: 'email', value: email }, transaction: t });
	return contact?.userId ? User.findByPk(contact.userId, { transaction: t }) : null;
}

/** An Entra account: its tenant and object id (`tid` + `oid`, Graph's `id`), which its holder cannot change. */
export interface DirectoryAccount extends VerifiedIdentity {
	tenantId: string;
	objectId: string;
}

/**
 * The user linked to a directory account. The first time, the account is
 * linked to whoever holds its email address (or a new user); from then on the
 * email address no longer decides, so renaming a mailbox cannot move a login.
 */
export function userForDirectoryAccount(account: DirectoryAccount, audit: AuditInput, at = new Date()): Promise<User> {
	return transaction(async (t) => {
		const where = { provider: 'entra' as const, tenantId: account.tenantId, objectId: account.objectId };
		const link = await ExternalIdentity.findOne({ where, transaction: t });
		const linked = link ? await User.findByPk(link.userId, { transaction: t }) : null;
		if (linked) return claimEmail(account, audit, at, t, linked);
		// First login of this account: link whoever holds the address, unless they already have an account of this tenant.
		const holder = await holderOf(account.email, t);
		const taken = holder && (await ExternalIdentity.count({ where: { provider: 'entra', tenantId: account.tenantId, userId: holder.id }, transaction: t })) > 0;
		const user = taken ? await createUser({ firstName: account.firstName, lastName: account.lastName }, t) : undefined;
		const owner = await claimEmail(account, audit, at, t, user);
		await ExternalIdentity.create({ ...where, userId: owner.id, createdAt: at }, { transaction: t });
		return owner;
	});
}
