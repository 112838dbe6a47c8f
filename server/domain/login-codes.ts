/**
 * One-time login codes: 6 digits, valid 15 minutes, stored as a keyed hash,
 * one live code per contact detail (a new request replaces it), at most five
 * wrong guesses. Redeeming a code for a contact with no user creates the user
 * from the names given with it.
 */
import { randomInt } from 'node:crypto';
import type { Transaction } from 'sequelize';
import { transaction } from '../db/database';
import { ContactDetail, LoginCode, User } from '../db/models/people.model';
import { writeAudit, type AuditInput } from './audit';
import type { ContactInput } from './contacts';
import { DomainError } from './errors';
import { keyedHash, sameHash } from './secrets';
import { createUser, validateName } from './users';

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

export function issueLoginCode(contact: ContactInput, at = new Date()): Promise<IssuedCode> {
	return transaction(async (t) => {
		const row = await findOrCreateContact(contact, t);
		const code = String(randomInt(100_000, 1_000_000));
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

/** Checks the code and returns the user it logs in; wrong guesses are counted even though they throw. */
export async function redeemLoginCode(input: Redemption): Promise<User> {
	const at = input.at ?? new Date();
	const result = await transaction(async (t): Promise<User | DomainError> => {
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
