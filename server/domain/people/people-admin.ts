/**
 * What admins do to people: find them, see their account, change their role,
 * and create or revoke their personal login link. Merging and erasing live in
 * people-merge.ts. Each action writes its audit record in its own transaction.
 */
import { Op, type WhereOptions } from 'sequelize';
import { transaction } from '../../db/database';
import { AuditRecord, SignInRecord } from '../../db/models/attendance.model';
import { Badge, ContactDetail, LoginToken, User, type Role } from '../../db/models/people.model';
import { adminAuditView, writeAdminAudit, type AdminActor, type AdminAuditView } from '../shared/admin-audit';
import { DomainError } from '../shared/errors';
import { issueLoginToken } from '../identity/login-tokens';
import { contactsOf, type ContactView } from './profile';
import { accountSummary, findUser } from './users';
import { sessionsOf, type PersonSession } from './person-sessions';

export interface UserSummary {
	id: number;
	username: string;
	firstName: string;
	lastName: string;
	role: Role;
	createdAt: Date;
	contacts: string[];
}

const SEARCH_LIMIT = 50;

/** People whose name, username or a contact value contains every word of the query; everyone (newest first) for none. */
export async function searchUsers(query: string, limit = SEARCH_LIMIT): Promise<UserSummary[]> {
	const words = query.trim().split(/\s+/).filter(Boolean).slice(0, 5);
	const conditions: WhereOptions<User>[] = [];
	for (const word of words) {
		const like = { [Op.like]: `%${word}%` };
		const owners = await ContactDetail.findAll({ attributes: ['userId'], where: { value: like, userId: { [Op.ne]: null } } });
		const ids = [...new Set(owners.map((c) => c.userId as number))];
		conditions.push({ [Op.or]: [{ firstName: like }, { lastName: like }, { username: like }, ...(ids.length ? [{ id: ids }] : [])] });
	}
	const users = await User.findAll({
		where: conditions.length ? { [Op.and]: conditions } : {},
		order: words.length ? [['firstName', 'ASC'], ['lastName', 'ASC'], ['id', 'ASC']] : [['createdAt', 'DESC'], ['id', 'DESC']],
		limit,
	});
	const contacts = users.length
		? await ContactDetail.findAll({ where: { userId: users.map((u) => u.id), method: ['email', 'sms'] }, order: [['id', 'ASC']] })
		: [];
	return users.map((u) => ({
		...accountSummary(u),
		contacts: contacts.filter((c) => c.userId === u.id).map((c) => c.value),
	}));
}

export interface UserDetail {
	user: Omit<UserSummary, 'contacts'>;
	contacts: ContactView[];
	records: Array<{ id: number; date: string; signInAt: Date; signOutAt: Date | null }>;
	loginLink: { createdAt: Date } | null;
	/** When their live badge was issued; null without one. */
	badge: { createdAt: Date } | null;
	sessions: PersonSession[];
	/** Admin actions done to this person, newest first. */
	history: AdminAuditView[];
}

export async function userDetail(userId: number, at = new Date()): Promise<UserDetail> {
	const user = await findUser(userId);
	const [contacts, records, token, badge, sessions, history] = await Promise.all([
		contactsOf(userId),
		SignInRecord.findAll({ where: { userId }, order: [['signInAt', 'DESC']], limit: 20 }),
		LoginToken.findByPk(userId),
		Badge.findOne({ where: { userId, revokedAt: { [Op.is]: null } }, order: [['createdAt', 'DESC']] }),
		sessionsOf(userId, at),
		AuditRecord.findAll({ where: { subjectId: userId, source: 'admin' }, order: [['at', 'DESC'], ['id', 'DESC']], limit: 20 }),
	]);
	return {
		user: { id: user.id, username: user.username, firstName: user.firstName, lastName: user.lastName, role: user.role, createdAt: user.createdAt },
		contacts,
		records: records.map((r) => ({ id: r.id, date: r.date, signInAt: r.signInAt, signOutAt: r.signOutAt })),
		loginLink: token ? { createdAt: token.createdAt } : null,
		badge: badge ? { createdAt: badge.createdAt } : null,
		sessions,
		history: history.map(adminAuditView),
	};
}

/** Corrects a person's name as an admin (a typo, a marriage); the username stays, as when they rename themselves. */
export async function renamePerson(actor: AdminActor, userId: number, name: { firstName: string; lastName: string }): Promise<User> {
	return transaction(async (t) => {
		const user = await findUser(userId, t);
		const from = { firstName: user.firstName, lastName: user.lastName };
		if (from.firstName === name.firstName && from.lastName === name.lastName) return user;
		await user.update(name, { transaction: t });
		await writeAdminAudit(actor, 'name-changed', user.id, { from, to: name }, t);
		return user;
	});
}

/** Changes a person's role; the last admin cannot be demoted (which is always the admin asking). */
export async function setRole(actor: AdminActor, userId: number, role: Role): Promise<User> {
	return transaction(async (t) => {
		// Locking every admin row serialises two admins demoting each other at the same moment.
		const admins = await User.findAll({ where: { role: 'admin' }, transaction: t, lock: t.LOCK.UPDATE });
		const user = await findUser(userId, t);
		if (user.role === role) return user;
		if (user.role === 'admin' && admins.length <= 1) {
			const whose = user.id === actor.id ? 'You are' : 'This is';
			throw new DomainError('conflict', `${whose} the last admin: make someone else an admin first.`, 'role');
		}
		const from = user.role;
		await user.update({ role }, { transaction: t });
		await writeAdminAudit(actor, 'role-changed', user.id, { from, to: role }, t);
		return user;
	});
}

/** Creates (or replaces) someone's personal login link; the token is shown to the admin once. */
export async function createLoginLinkFor(actor: AdminActor, userId: number): Promise<string> {
	return transaction(async (t) => {
		await findUser(userId, t);
		const token = await issueLoginToken(userId, t);
		await writeAdminAudit(actor, 'login-link-created', userId, {}, t);
		return token;
	});
}

export async function revokeLoginLinkFor(actor: AdminActor, userId: number): Promise<boolean> {
	return transaction(async (t) => {
		await findUser(userId, t);
		const revoked = (await LoginToken.destroy({ where: { userId }, transaction: t })) > 0;
		if (revoked) await writeAdminAudit(actor, 'login-link-revoked', userId, {}, t);
		return revoked;
	});
}
