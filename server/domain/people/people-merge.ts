/**
 * Merging and erasing people, the two admin actions that remove accounts.
 *
 * Merge (the original's rule): the oldest account keeps the contact details and
 * sign-in records of the others, which are deleted. Everything else that points
 * at a merged account (sessions, badges, the action ledger, roll calls,
 * deliveries, audit references) moves to the kept one too, and the kept account
 * takes the highest role among them, so a merge never demotes anyone.
 *
 * Erase: the person and everything that is theirs go (contacts and their codes,
 * records, ledger, sessions, link, badges, and the audit stamps of their own
 * logins and sign-ins); audit records of what they did, or of what was done to
 * them, stay but lose the link to them.
 */
import { Op, type Transaction } from 'sequelize';
import { transaction } from '../../db/database';
import { Action, AuditRecord, SignInRecord } from '../../db/models/attendance.model';
import { Broadcast, Delivery, RollCall, RollCallEntry, RollCallMark } from '../../db/models/operations.model';
import { BroadcastRecipient, PushSubscription, WebhookEndpoint } from '../../db/models/notifications.model';
import { Badge, ContactDetail, ExternalIdentity, LoginCode, LoginToken, Session, User, UserAlias, UserSettings, roles, type Role } from '../../db/models/people.model';
import { adminActions, writeAdminAudit, type AdminActor } from '../shared/admin-audit';
import { DomainError } from '../shared/errors';
import { accountSummary, findUser } from './users';

const rank = (role: string) => roles.indexOf(role as (typeof roles)[number]);

export interface MergeResult {
	kept: User;
	mergedIds: number[];
	moved: { contacts: number; records: number };
}

export async function mergeUsers(actor: AdminActor, userIds: readonly number[]): Promise<MergeResult> {
	const ids = [...new Set(userIds)];
	if (ids.length < 2) throw new DomainError('invalid-input', 'Choose at least two different accounts to merge.', 'userIds');
	return transaction(async (t) => {
		const users = await User.findAll({ where: { id: ids }, order: [['createdAt', 'ASC'], ['id', 'ASC']], transaction: t, lock: t.LOCK.UPDATE });
		if (users.length !== ids.length) throw new DomainError('not-found', 'One of those accounts does not exist any more.', 'userIds');
		const [kept, ...others] = users as [User, ...User[]];
		const from = others.map((u) => u.id);
		const to = { transaction: t, where: { userId: from } };

		const [contacts] = await ContactDetail.update({ userId: kept.id }, to);
		const [records] = await SignInRecord.update({ userId: kept.id }, to);
		await Action.update({ userId: kept.id }, to);
		await Session.update({ userId: kept.id }, to);
		await Badge.update({ userId: kept.id }, to);
		await ExternalIdentity.update({ userId: kept.id }, to);
		await Delivery.update({ userId: kept.id }, to);
		await PushSubscription.update({ userId: kept.id }, to);
		await moveBroadcastReplies(kept.id, from, t);
		await moveLoginLink(kept.id, from, t);
		await moveRollCallEntries(kept.id, from, t);
		await repointReferences(from, kept.id, t);
		// Phones may still hold actions queued under a merged account: they stay deliverable to the kept one.
		await UserAlias.update({ userId: kept.id }, { where: { userId: from }, transaction: t });
		await UserAlias.bulkCreate(from.map((oldUserId) => ({ oldUserId, userId: kept.id })), { transaction: t });

		const role = users.reduce((best, u) => (rank(u.role) > rank(best) ? u.role : best), kept.role);
		if (role !== kept.role) await kept.update({ role }, { transaction: t });
		await UserSettings.destroy({ where: { userId: from }, transaction: t });
		await User.destroy({ where: { id: from }, transaction: t });
		await writeAdminAudit(actor, 'users-merged', kept.id, {
			keptId: kept.id,
			mergedIds: from,
			mergedUsernames: others.map((u) => u.username),
			moved: { contacts, records },
		}, t);
		return { kept, mergedIds: from, moved: { contacts, records } };
	});
}

/** One link per person: the kept account keeps its own, else takes the newest of the others'. */
async function moveLoginLink(keptId: number, from: number[], t: Transaction): Promise<void> {
	const own = await LoginToken.findByPk(keptId, { transaction: t });
	const theirs = await LoginToken.findAll({ where: { userId: from }, order: [['createdAt', 'DESC']], transaction: t });
	const adopt = own ? undefined : theirs[0];
	await LoginToken.destroy({ where: { userId: from }, transaction: t });
	if (adopt) await LoginToken.create({ userId: keptId, tokenHash: adopt.tokenHash, createdAt: adopt.createdAt }, { transaction: t });
}

/** A roll call lists a person once: entries in calls the kept account is already on are dropped. */
async function moveRollCallEntries(keptId: number, from: number[], t: Transaction): Promise<void> {
	const keptCalls = (await RollCallEntry.findAll({ attributes: ['rollCallId'], where: { userId: keptId }, transaction: t })).map((e) => e.rollCallId);
	const entries = await RollCallEntry.findAll({ where: { userId: from }, order: [['id', 'ASC']], transaction: t });
	const seen = new Set(keptCalls);
	for (const entry of entries) {
		if (seen.has(entry.rollCallId)) await entry.destroy({ transaction: t });
		else {
			seen.add(entry.rollCallId);
			await entry.update({ userId: keptId }, { transaction: t });
		}
	}
	// Every mark stays in the history, now under the kept account.
	await RollCallMark.update({ userId: keptId }, { where: { userId: from }, transaction: t });
}

/** A broadcast lists a person once: replies in broadcasts the kept account was sent are dropped. */
async function moveBroadcastReplies(keptId: number, from: number[], t: Transaction): Promise<void> {
	const keptIn = new Set((await BroadcastRecipient.findAll({ attributes: ['broadcastId'], where: { userId: keptId }, transaction: t })).map((r) => r.broadcastId));
	for (const row of await BroadcastRecipient.findAll({ where: { userId: from }, order: [['id', 'ASC']], transaction: t })) {
		if (keptIn.has(row.broadcastId)) await row.destroy({ transaction: t });
		else {
			keptIn.add(row.broadcastId);
			await row.update({ userId: keptId }, { transaction: t });
		}
	}
}

/** Who-did-what references: to the kept account on a merge, to nobody (null) on an erase. */
export async function repointReferences(from: number[], to: number | null, t: Transaction): Promise<void> {
	await AuditRecord.update({ actorId: to }, { where: { actorId: from }, transaction: t });
	await AuditRecord.update({ subjectId: to }, { where: { subjectId: from }, transaction: t });
	await Broadcast.update({ senderId: to }, { where: { senderId: from }, transaction: t });
	await WebhookEndpoint.update({ createdBy: to }, { where: { createdBy: from }, transaction: t });
	await RollCall.update({ startedBy: to }, { where: { startedBy: from }, transaction: t });
	await RollCall.update({ endedBy: to }, { where: { endedBy: from }, transaction: t });
	await RollCallEntry.update({ markedBy: to }, { where: { markedBy: from }, transaction: t });
	await RollCallMark.update({ markedBy: to }, { where: { markedBy: from }, transaction: t });
}

export interface EraseRequest {
	userId: number;
	/** The person's username, typed again to confirm. */
	confirmUsername: string;
}

export async function eraseUser(actor: AdminActor, input: EraseRequest): Promise<{ erased: number; username: string }> {
	if (input.userId === actor.id) throw new DomainError('conflict', 'You cannot erase your own account: ask another admin.', 'userId');
	return transaction(async (t) => {
		const user = await findUser(input.userId, t);
		if (input.confirmUsername.trim() !== user.username) {
			throw new DomainError('invalid-input', `Type the username ${user.username} to confirm.`, 'confirmUsername');
		}
		const id = user.id;
		const contacts = await ContactDetail.findAll({ where: { userId: id }, transaction: t });
		const records = await SignInRecord.findAll({ where: { userId: id }, transaction: t });
		const stamps = [
			...contacts.map((c) => c.auditId),
			...records.flatMap((r) => [r.signInAuditId, r.signOutAuditId]),
		].filter((a): a is number => a != null);

		const counts = {
			contacts: contacts.length,
			records: records.length,
			sessions: await Session.destroy({ where: { userId: id }, transaction: t }),
			badges: await Badge.destroy({ where: { userId: id }, transaction: t }),
		};
		await LoginCode.destroy({ where: { contactId: contacts.map((c) => c.id) }, transaction: t });
		await ContactDetail.destroy({ where: { userId: id }, transaction: t });
		await SignInRecord.destroy({ where: { userId: id }, transaction: t });
		await Action.destroy({ where: { userId: id }, transaction: t });
		await LoginToken.destroy({ where: { userId: id }, transaction: t });
		await ExternalIdentity.destroy({ where: { userId: id }, transaction: t });
		await Delivery.destroy({ where: { userId: id }, transaction: t });
		await PushSubscription.destroy({ where: { userId: id }, transaction: t });
		await BroadcastRecipient.destroy({ where: { userId: id }, transaction: t });
		await RollCallEntry.destroy({ where: { userId: id }, transaction: t });
		await UserSettings.destroy({ where: { userId: id }, transaction: t });
		// Their own stamps (IP, browser) are theirs; admin records about them stay, unlinked.
		await AuditRecord.destroy({
			where: {
				[Op.or]: [
					...(stamps.length ? [{ id: stamps }] : []),
					{ subjectId: id, [Op.or]: [{ action: null }, { action: { [Op.notIn]: [...adminActions] } }] },
				],
			},
			transaction: t,
		});
		await repointReferences([id], null, t);
		await user.destroy({ transaction: t });
		await writeAdminAudit(actor, 'user-erased', null, { erasedUserId: id, deleted: counts }, t);
		return { erased: id, username: user.username };
	});
}

export interface MergeCandidate {
	id: number;
	username: string;
	firstName: string;
	lastName: string;
	role: Role;
	createdAt: Date;
	contacts: number;
	records: number;
}

/** The accounts a merge would join, oldest (the one kept) first, with what each brings. */
export async function mergePreview(userIds: readonly number[]): Promise<MergeCandidate[]> {
	const ids = [...new Set(userIds)];
	const users = await User.findAll({ where: { id: ids }, order: [['createdAt', 'ASC'], ['id', 'ASC']] });
	if (users.length !== ids.length) throw new DomainError('not-found', 'One of those accounts does not exist any more.', 'userIds');
	return Promise.all(
		users.map(async (u) => ({
			...accountSummary(u),
			contacts: await ContactDetail.count({ where: { userId: u.id } }),
			records: await SignInRecord.count({ where: { userId: u.id } }),
		})),
	);
}
