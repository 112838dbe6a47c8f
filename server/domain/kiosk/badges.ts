/**
 * Badges: a personal QR (`${origin}/b/<secret>`) that signs its owner in or
 * out at a kiosk and can never log in. The secret is 32 random bytes; the
 * server finds a badge by `badgeHash(secret)` (SHA-256, what kiosks' rosters
 * list) and keeps the secret itself only sealed with AES-256-GCM under a key
 * derived from the server key, so the owner's profile and an admin's print
 * run can show the same QR again without re-issuing it (docs/decisions.md).
 * One live badge per person: issuing a new one revokes the old.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import { Badge, User } from '../../db/models/people.model';
import { BADGE_PATH } from '../../../src/lib/contracts/kiosk-protocol';
import { audited, type AdminActor } from '../shared/admin-audit';
import { DomainError } from '../shared/errors';
import { keyedHash, sha256 } from '../identity/secrets';

export interface IssuedBadge {
	userId: number;
	secret: string;
	badgeHash: string;
	createdAt: Date;
}

/** The badge URL a QR holds. */
export const badgePath = (secret: string) => `${BADGE_PATH}${secret}`;

/** SHA-256 hex, the same as the contract's WebCrypto `badgeHash`. */
export const badgeHashOf = (secret: string) => sha256(secret);

const sealKey = () => Buffer.from(keyedHash('badge-seal-key-v1'), 'hex');

/** `v1.<iv>.<ciphertext+tag>`, base64url parts. */
export function sealSecret(secret: string): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', sealKey(), iv);
	const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
	return `v1.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

/** The secret, or null when the seal is not ours (another server key) or damaged. */
export function openSealed(sealed: string): string | null {
	const [version, iv, body] = sealed.split('.');
	if (version !== 'v1' || !iv || !body) return null;
	try {
		const bytes = Buffer.from(body, 'base64url');
		const decipher = createDecipheriv('aes-256-gcm', sealKey(), Buffer.from(iv, 'base64url'));
		decipher.setAuthTag(bytes.subarray(bytes.length - 16));
		return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
	} catch {
		return null;
	}
}

async function issueIn(userId: number, t: Transaction, now: Date): Promise<IssuedBadge> {
	await Badge.update({ revokedAt: now }, { where: { userId, revokedAt: { [Op.is]: null } }, transaction: t });
	const secret = randomBytes(32).toString('base64url');
	const badge = await Badge.create({ userId, badgeHash: badgeHashOf(secret), sealedSecret: sealSecret(secret), createdAt: now }, { transaction: t });
	return { userId, secret, badgeHash: badge.badgeHash, createdAt: badge.createdAt };
}

/** A new badge for each person (their old one stops working). */
export async function issueBadges(userIds: readonly number[], actor?: AdminActor, now = new Date()): Promise<IssuedBadge[]> {
	const ids = [...new Set(userIds)];
	const found = await User.count({ where: { id: ids } });
	if (found !== ids.length) throw new DomainError('not-found', 'No such user.');
	return audited(
		actor,
		'badges-issued',
		async (t) => {
			const issued: IssuedBadge[] = [];
			for (const id of ids) issued.push(await issueIn(id, t, now));
			return issued;
		},
		() => ({ subjectId: ids.length === 1 ? ids[0]! : null, details: { userIds: ids } }),
	);
}

export const issueBadge = async (userId: number, now = new Date()): Promise<IssuedBadge> => (await issueBadges([userId], undefined, now))[0]!;

/** The person's live badges, with their secrets when the seal opens. */
export async function liveBadges(userIds: readonly number[]): Promise<Map<number, IssuedBadge>> {
	const rows = await Badge.findAll({ where: { userId: [...new Set(userIds)], revokedAt: { [Op.is]: null } }, order: [['createdAt', 'ASC']] });
	const badges = new Map<number, IssuedBadge>();
	for (const row of rows) {
		const secret = row.sealedSecret ? openSealed(row.sealedSecret) : null;
		if (secret) badges.set(row.userId, { userId: row.userId, secret, badgeHash: row.badgeHash, createdAt: row.createdAt });
	}
	return badges;
}

/** The person's badge to show: the live one, or a new one on first view (or when the seal no longer opens). */
export async function badgeToShow(userId: number, now = new Date()): Promise<IssuedBadge> {
	return (await liveBadges([userId])).get(userId) ?? issueBadge(userId, now);
}

/** Revokes every live badge of these people; answers how many were revoked. */
export function revokeBadges(userIds: readonly number[], actor?: AdminActor, now = new Date()): Promise<number> {
	const ids = [...new Set(userIds)];
	return audited(
		actor,
		'badges-revoked',
		async (t) => (await Badge.update({ revokedAt: now }, { where: { userId: ids, revokedAt: { [Op.is]: null } }, transaction: t }))[0],
		(revoked) => ({ subjectId: ids.length === 1 ? ids[0]! : null, details: { userIds: ids, revoked } }),
	);
}

export type BadgeOwner = { state: 'live'; userId: number } | { state: 'revoked'; userId: number; revokedAt: Date } | { state: 'unknown' };

/** Who each badge hash belongs to, in one query. */
export async function badgeOwners(hashes: readonly string[]): Promise<Map<string, BadgeOwner>> {
	const wanted = [...new Set(hashes)];
	const owners = new Map<string, BadgeOwner>(wanted.map((h) => [h, { state: 'unknown' }]));
	if (wanted.length === 0) return owners;
	for (const row of await Badge.findAll({ where: { badgeHash: wanted } })) {
		owners.set(row.badgeHash, row.revokedAt ? { state: 'revoked', userId: row.userId, revokedAt: row.revokedAt } : { state: 'live', userId: row.userId });
	}
	return owners;
}
