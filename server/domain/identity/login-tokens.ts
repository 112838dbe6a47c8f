/**
 * Personal login links: `/accounts/token/<token>` and `Authorization: LLToken
 * <token>`. One per person (a new one replaces the old), 256-bit random,
 * stored as SHA-256, revocable.
 */
import type { Transaction } from 'sequelize';
import { LoginToken, User } from '../../db/models/people.model';
import { transaction } from '../../db/database';
import { newToken, sha256 } from './secrets';

/**
 * Creates (or replaces) the person's token; the token itself is returned once
 * and never stored. Given `t`, it joins the caller's transaction (an admin
 * action commits it with its audit record); otherwise it opens its own.
 */
export async function issueLoginToken(userId: number, t?: Transaction): Promise<string> {
	if (!t) return transaction((own) => issueLoginToken(userId, own));
	const token = newToken();
	await LoginToken.destroy({ where: { userId }, transaction: t });
	await LoginToken.create({ userId, tokenHash: sha256(token) }, { transaction: t });
	return token;
}

/** The user a login token belongs to, or null for an unknown or revoked token. */
export async function userForLoginToken(token: string): Promise<User | null> {
	if (!/^[A-Za-z0-9_-]{20,128}$/.test(token)) return null;
	const row = await LoginToken.findOne({ where: { tokenHash: sha256(token) } });
	return row ? User.findByPk(row.userId) : null;
}

export async function revokeLoginToken(userId: number): Promise<boolean> {
	return (await LoginToken.destroy({ where: { userId } })) > 0;
}

export async function hasLoginToken(userId: number): Promise<{ createdAt: Date } | null> {
	const row = await LoginToken.findByPk(userId);
	return row ? { createdAt: row.createdAt } : null;
}
