/**
 * One-time login codes: 6 digits, valid 15 minutes, stored as a keyed hash,
 * one live code per contact detail (a new request replaces it), at most five
 * wrong guesses. Redeeming a code for a contact with no user creates the user
 * from the names given with it.
 */
import { randomInt } from 'node:crypto';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import { transaction } from '../../db/database';
import { ContactDetail, LoginCode, User } from '../../db/models/people.model';
import { writeAudit, type AuditInput } from '../shared/audit';
import type { ContactInput } from './contacts';
import { DomainError } from '../shared/errors';
import { keyedHash, sameHash } from './secrets';
import { createUser, validateName } from '../people/users';

export const CODE_TTL_MS = 15 * 60 * 1000;
export const MAX_WRONG_GUESSES = 5;

const codeHash = (contactId: number, code: string) => keyedHash(`login-code:${contactId}:${code}`);

export async function findOrCreateContact(contact: ContactInput, t: Transaction): Promise<ContactDetail> {
	const [row] = await ContactDetail.findOrCreate({
		where: { method: contact.method, value: contact.value },
		defaults: { method: contact.method, value: contact.value, userId: null },
		transaction: t,
	});
	return row;
}

export interface IssuedCode {
	code: string;
	contactId: number;
	/** False on first use: the person must give their name with the code. */
	hasUser: boolean;
}

/** A random 6-digit code (100000 to 999999). */
export const newLoginCode = (): string => String(randomInt(100_000, 1_000_000));

/** Stores a new code for the contact (replacing its old one); `code` lets a caller deliver it before storing. */
export async function issueLoginCode(contact: ContactInput, at = new Date(), code = newLoginCode()): Promise<IssuedCode> {
	try {
		return await storeLoginCode(contact, at, code);
	} catch (error) {
		// Two first requests for a new contact raced to create it (MySQL): the retry finds the winner's row.
		if (error instanceof UniqueConstraintError) return storeLoginCode(contact, at, code);
		throw error;
	}
}

function storeLoginCode(contact: ContactInput, at: Date, code: string): Promise<IssuedCode> {
	return transaction(async (t) => {
		const created = await findOrCreateContact(contact, t);
		// Locking the contact serialises simultaneous requests for it, so replacing its code cannot race.
		const row = (await ContactDetail.findByPk(created.id, { transaction: t, lock: t.LOCK.UPDATE })) ?? created;
		await LoginCode.destroy({ where: { contactId: row.id }, transaction: t });
		await LoginCode.create(
			{ contactId: row.id, codeHash: codeHash(row.id, code), expiresAt: new Date(at.getTime() + CODE_TTL_MS) },
			{ transaction: t },
		);
		return { code, contactId: row.id, hasUser: row.userId !== null };
	});
}

export async function contactHasUser(contact: ContactInput): Promise<boolean> {
	const row = await ContactDetail.findOne({ where: { method: contact.method, value: contact.value } });
	return row?.userId != null;
}

export interface Redemption {
	contact: ContactInput;
	code: string;
	firstName?: string;
	lastName?: string;
	audit: AuditInput;
	at?: Date;
}

const notRight = (left: number) =>
	new DomainError('code-invalid', `That code is not right: check it and try again (${left} ${left === 1 ? 'try' : 'tries'} left).`, 'code');
const noCode = () => new DomainError('code-invalid', 'There is no code waiting for this address: request a new one.', 'code');

interface CheckedCode {
	contact: ContactDetail;
	pending: LoginCode;
}

/**
 * Finds the live code of a contact and checks a guess. A refusal is returned, not
 * thrown, so the caller commits the counted wrong guess before throwing it.
 */
async function checkCode(input: { contact: ContactInput; code: string }, at: Date, t: Transaction): Promise<CheckedCode | DomainError> {
	const contact = await ContactDetail.findOne({
		where: { method: input.contact.method, value: input.contact.value },
		transaction: t,
		lock: t.LOCK.UPDATE,
	});
	const pending = contact && (await LoginCode.findOne({ where: { contactId: contact.id }, transaction: t }));
	if (!contact || !pending) return noCode();
	if (pending.expiresAt.getTime() <= at.getTime()) {
		await pending.destroy({ transaction: t });
		return new DomainError('code-expired', 'Code expired: request a new one.', 'code');
	}
	if (!sameHash(pending.codeHash, codeHash(contact.id, input.code))) {
		const attempts = pending.attempts + 1;
		if (attempts >= MAX_WRONG_GUESSES) {
			await pending.destroy({ transaction: t });
			return new DomainError('too-many-attempts', 'Too many wrong codes: request a new one.', 'code');
		}
		await pending.update({ attempts }, { transaction: t });
		return notRight(MAX_WRONG_GUESSES - attempts);
	}
	return { contact, pending };
}

/** Checks the code and returns the user it logs in; wrong guesses are counted even though they throw. */
export async function redeemLoginCode(input: Redemption): Promise<User> {
	const at = input.at ?? new Date();
	const result = await transaction(async (t): Promise<User | DomainError> => {
		const checked = await checkCode(input, at, t);
		if (checked instanceof DomainError) return checked;
		const { contact, pending } = checked;
		// Names are checked before the code is spent, so a missing name costs nothing.
		let user = contact.userId ? await User.findByPk(contact.userId, { transaction: t }) : null;
		if (!user) {
			const firstName = validateName(input.firstName, 'First name');
			const lastName = validateName(input.lastName, 'Last name');
			user = await createUser({ firstName, lastName }, t);
		}
		const audit = await writeAudit(input.audit, at, t);
		await contact.update({ userId: user.id, auditId: audit.id }, { transaction: t });
		await pending.destroy({ transaction: t });
		return user;
	});
	if (result instanceof DomainError) throw result;
	return result;
}

export interface ContactClaim {
	contact: ContactInput;
	code: string;
	/** The logged-in person adding this contact detail to their account. */
	userId: number;
	audit: AuditInput;
	at?: Date;
}

/**
 * Adds a contact detail to a person who is already logged in, once they prove it
 * with its code. A detail that belongs to someone else is refused and stays theirs.
 */
export async function redeemCodeForUser(input: ContactClaim): Promise<ContactDetail> {
	const at = input.at ?? new Date();
	const result = await transaction(async (t): Promise<ContactDetail | DomainError> => {
		const checked = await checkCode(input, at, t);
		if (checked instanceof DomainError) return checked;
		const { contact, pending } = checked;
		if (contact.userId !== null && contact.userId !== input.userId) {
			return new DomainError('conflict', 'That address already belongs to another account: log in with it, or ask an admin to merge the accounts.', 'contact');
		}
		const audit = await writeAudit(input.audit, at, t);
		await contact.update({ userId: input.userId, auditId: audit.id }, { transaction: t });
		await pending.destroy({ transaction: t });
		return contact;
	});
	if (result instanceof DomainError) throw result;
	return result;
}
