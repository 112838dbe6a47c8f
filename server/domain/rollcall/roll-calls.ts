/**
 * Roll calls and their marks (issue 12). Marks arrive from several
 * marshals' phones, in any order and late: each is kept, and a person's
 * status is the mark with the latest event time (ties broken by the mark's
 * id, so every instance and every phone agrees).
 *
 * A start names the roll call by the phone's UUID. When one is already open
 * the start joins it (two marshals who started offline are counting the same
 * evacuation): its UUID becomes another name of the open one.
 */
import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import { transaction } from '../../db/database';
import { RollCall, RollCallEntry, RollCallMark, RollCallName } from '../../db/models/operations.model';
import { User } from '../../db/models/people.model';
import type { KioskRollCall } from '../../../src/lib/contracts/kiosk-protocol';
import type { RollCallMark as MarkView, RollCallState, RollCallStatus } from '../../../src/lib/contracts/rollcall-protocol';
import { DomainError } from '../shared/errors';
import { evacuationList } from './evacuation-list';
import { enqueueWebhookEvent } from '../notifications/webhook-deliveries';
import { webhookEvent } from '../notifications/webhook-events';
import { kickWebhooks } from '../notifications/webhook-worker';
import { logger } from '../../logger';

/** How long an ended roll call is still shown to marshals, so every phone learns it ended. */
const SHOWN_AFTER_END_MS = 60 * 60_000;

export interface StartCommand {
	rollCallId: string;
	drill: boolean;
	at: Date;
	byUserId: number | null;
}

export type StartOutcome = { outcome: 'started'; rollCallId: number } | { outcome: 'joined'; rollCallId: number } | { outcome: 'duplicate'; rollCallId: number };

/** The roll call a UUID names, or null. */
export async function rollCallNamed(name: string, t?: Transaction): Promise<RollCall | null> {
	const found = await RollCallName.findByPk(name, { transaction: t });
	return found ? RollCall.findByPk(found.rollCallId, { transaction: t }) : null;
}

/** Starts a roll call, or joins the open one; the list is who is in when the server learns of it. */
export async function startRollCall(command: StartCommand, now = new Date()): Promise<StartOutcome> {
	return transaction(async (t) => {
		const known = await RollCallName.findByPk(command.rollCallId, { transaction: t });
		if (known) return { outcome: 'duplicate', rollCallId: known.rollCallId };
		const open = await RollCall.findOne({ where: { endedAt: null }, order: [['startedAt', 'DESC']], transaction: t });
		if (open) {
			await RollCallName.create({ id: command.rollCallId, rollCallId: open.id }, { transaction: t });
			return { outcome: 'joined', rollCallId: open.id };
		}
		const call = await RollCall.create({ uuid: command.rollCallId, startedAt: command.at, startedBy: command.byUserId, drill: command.drill }, { transaction: t });
		await RollCallName.create({ id: command.rollCallId, rollCallId: call.id }, { transaction: t });
		const list = await evacuationList(now);
		await RollCallEntry.bulkCreate(
			list.map((p) => ({
				rollCallId: call.id,
				userId: p.userId,
				listGroup: p.group,
				since: new Date(p.since),
				leftAt: p.leftAt ? new Date(p.leftAt) : null,
				location: p.location,
			})),
			{ transaction: t },
		);
		return { outcome: 'started', rollCallId: call.id };
	});
}

export interface MarkCommand {
	/** The mark's action id (a UUID). */
	id: string;
	rollCallId: number;
	userId: number;
	status: RollCallStatus;
	at: Date;
	/** Null for a self-report. */
	byUserId: number | null;
}

const laterThan = (a: { at: Date; id: string }, b: { at: Date; id: string }) => a.at.getTime() > b.at.getTime() || (a.at.getTime() === b.at.getTime() && a.id > b.id);

/** Records a mark; it becomes the person's status if no mark with a later event time is known. */
export async function markPerson(command: MarkCommand, now = new Date()): Promise<'applied' | 'duplicate'> {
	const outcome = await recordMark(command, now);
	if (outcome === 'applied') void announceMark(command, now);
	return outcome;
}

/** Tells webhook receivers about a new mark; a failure is logged and never fails the mark. */
async function announceMark(command: MarkCommand, now: Date): Promise<void> {
	try {
		const data = { rollCallId: command.rollCallId, userId: command.userId, status: command.status, markedAt: command.at.toISOString(), markedBy: command.byUserId };
		if ((await enqueueWebhookEvent(webhookEvent('roll-call-mark', data, now), now)) > 0) void kickWebhooks();
	} catch (error) {
		logger().error({ err: error, rollCallId: command.rollCallId }, 'roll call: could not queue the mark for webhooks');
	}
}

async function recordMark(command: MarkCommand, now: Date): Promise<'applied' | 'duplicate'> {
	try {
		return await transaction(async (t) => {
			await RollCallMark.create(
				{ id: command.id, rollCallId: command.rollCallId, userId: command.userId, status: command.status, at: command.at, markedBy: command.byUserId, receivedAt: now },
				{ transaction: t },
			);
			const entry = await RollCallEntry.findOne({ where: { rollCallId: command.rollCallId, userId: command.userId }, transaction: t, lock: t.LOCK.UPDATE });
			const winning = { status: command.status, markedAt: command.at, markedBy: command.byUserId, actionId: command.id };
			if (!entry) {
				// Someone the server's list did not have (the marshal's phone had them): on the list from now on.
				await RollCallEntry.create({ rollCallId: command.rollCallId, userId: command.userId, ...winning }, { transaction: t });
			} else if (!entry.markedAt || !entry.actionId || laterThan({ at: command.at, id: command.id }, { at: entry.markedAt, id: entry.actionId })) {
				await entry.update(winning, { transaction: t });
			}
			return 'applied' as const;
		});
	} catch (error) {
		if (error instanceof UniqueConstraintError) return 'duplicate';
		throw error;
	}
}

/** Ends a roll call (once; ending it again changes nothing). */
export async function endRollCall(rollCallId: number, at: Date, byUserId: number | null): Promise<'applied' | 'duplicate'> {
	const [changed] = await RollCall.update({ endedAt: at, endedBy: byUserId }, { where: { id: rollCallId, endedAt: null } });
	return changed > 0 ? 'applied' : 'duplicate';
}

const nameOf = (user: { firstName: string } | undefined, userId: number | null) => (userId === null ? 'self-report' : (user?.firstName ?? 'a marshal'));

/** A roll call as phones show it: its names and each person's winning mark. */
export async function rollCallState(call: RollCall): Promise<RollCallState> {
	const [names, entries] = await Promise.all([
		RollCallName.findAll({ where: { rollCallId: call.id }, order: [['id', 'ASC']], raw: true }),
		RollCallEntry.findAll({ where: { rollCallId: call.id, markedAt: { [Op.ne]: null } }, raw: true }),
	]);
	const people = await peopleNamed([call.startedBy, ...entries.map((e) => e.markedBy)]);
	return {
		id: call.uuid ?? names[0]!.id,
		ids: names.map((n) => n.id),
		drill: Boolean(call.drill),
		startedAt: call.startedAt.toISOString(),
		startedBy: call.startedBy === null ? 'the kiosk' : nameOf(people.get(call.startedBy), call.startedBy),
		endedAt: call.endedAt?.toISOString() ?? null,
		marks: entries.map(
			(e): MarkView => ({
				id: e.actionId!,
				userId: e.userId,
				status: e.status,
				at: new Date(e.markedAt!).toISOString(),
				by: nameOf(people.get(e.markedBy ?? -1), e.markedBy),
				byUserId: e.markedBy,
			}),
		),
	};
}

/** First names of these people, by id. */
export async function peopleNamed(ids: Array<number | null>): Promise<Map<number, { firstName: string }>> {
	const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
	if (wanted.length === 0) return new Map();
	const users = await User.findAll({ where: { id: wanted }, attributes: ['id', 'firstName'], raw: true });
	return new Map(users.map((u) => [u.id, { firstName: u.firstName }]));
}

/** The roll call marshals should see: the open one, else the one that ended last if that was within the hour. */
export async function currentRollCall(now = new Date()): Promise<RollCall | null> {
	const open = await RollCall.findOne({ where: { endedAt: null }, order: [['startedAt', 'DESC'], ['id', 'DESC']] });
	if (open) return open;
	return RollCall.findOne({ where: { endedAt: { [Op.gte]: new Date(now.getTime() - SHOWN_AFTER_END_MS) } }, order: [['endedAt', 'DESC'], ['id', 'DESC']] });
}

/** The open roll call as a kiosk shows it, or null. */
export async function openRollCallForKiosk(): Promise<KioskRollCall | null> {
	const open = await RollCall.findOne({ where: { endedAt: null }, order: [['startedAt', 'DESC'], ['id', 'DESC']] });
	if (!open) return null;
	return { id: open.uuid ?? (await RollCallName.findOne({ where: { rollCallId: open.id }, raw: true }))!.id, drill: Boolean(open.drill), startedAt: open.startedAt.toISOString() };
}

export async function rollCallOrThrow(name: string): Promise<RollCall> {
	const call = await rollCallNamed(name);
	if (!call) throw new DomainError('not-found', 'No such roll call.');
	return call;
}
