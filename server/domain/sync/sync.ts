/**
 * Applies a batch of queued actions from a device (DESIGN §4). Each action is
 * parsed on its own, checked against the allowed time window, and applied in
 * its own transaction with its ledger row (through recordAttendance), in
 * client-time order. A poison action is recorded as rejected so that it
 * cannot block the queue; repeating any action changes nothing.
 */
import { UniqueConstraintError } from 'sequelize';
import { config } from '../../config';
import { Action } from '../../db/models/attendance.model';
import { syncAction, type SyncAction, type SyncPushReply, type SyncResult } from '../../../src/lib/contracts/sync';
import { applyAction, todayStatus } from '../attendance/attendance';
import { eventTime } from '../attendance/attendance-rules';
import type { AuditInput } from '../shared/audit';
import { DomainError } from '../shared/errors';

export interface SyncCaller {
	userId: number;
	request: Omit<AuditInput, 'source' | 'deviceId'>;
}

const rejected = (id: string | null, reason: string): SyncResult => ({ id, outcome: 'rejected', reason });

/** Records a refusal in the ledger (once), so a resend is answered the same way. */
async function recordRejection(caller: SyncCaller, action: SyncAction, reason: string): Promise<SyncResult> {
	try {
		await Action.create({
			id: action.id,
			userId: caller.userId,
			deviceId: action.deviceId,
			kind: action.kind,
			clientAt: new Date(action.clientAt),
			receivedAt: new Date(),
			outcome: 'rejected',
			reason,
		});
	} catch (error) {
		if (!(error instanceof UniqueConstraintError)) throw error;
	}
	return rejected(action.id, reason);
}

async function applyOne(caller: SyncCaller, action: SyncAction, known: Action | undefined, now: Date): Promise<SyncResult> {
	if (known && known.userId !== caller.userId) return rejected(action.id, 'id-conflict');
	if (known?.outcome === 'rejected') return rejected(action.id, known.reason ?? 'rejected');
	if (known) return { id: action.id, outcome: 'duplicate' };
	if (action.userId !== undefined && action.userId !== caller.userId) return recordRejection(caller, action, 'other-user');

	const time = eventTime(new Date(action.clientAt), now, config().sync);
	if (!time.ok) return recordRejection(caller, action, time.reason);
	try {
		const result = await applyAction(
			{
				userId: caller.userId,
				kind: action.kind,
				audit: { ...caller.request, source: 'sync', deviceId: action.deviceId },
				actionId: action.id,
				at: time.at,
				clientAt: new Date(action.clientAt),
			},
			true,
		);
		if (result.outcome === 'stale') return { id: action.id, outcome: 'no-op', reason: 'stale' };
		return { id: action.id, outcome: result.outcome };
	} catch (error) {
		if (error instanceof DomainError && error.code === 'conflict') return rejected(action.id, 'id-conflict');
		throw error;
	}
}

function idOf(raw: unknown): string | null {
	const id = (raw as { id?: unknown } | null)?.id;
	return typeof id === 'string' && id.length <= 64 ? id : null;
}

export async function pushActions(caller: SyncCaller, rawActions: unknown[], now = new Date()): Promise<SyncPushReply> {
	const results = new Array<SyncResult>(rawActions.length);
	const valid: Array<{ index: number; action: SyncAction }> = [];
	rawActions.forEach((raw, index) => {
		const parsed = syncAction.safeParse(raw);
		if (parsed.success) valid.push({ index, action: parsed.data });
		else results[index] = rejected(idOf(raw), `malformed: ${parsed.error.issues[0]?.message ?? 'invalid action'}`);
	});
	// Client-time order, so a queued sign-in is applied before the sign-out that followed it.
	valid.sort((a, b) => Date.parse(a.action.clientAt) - Date.parse(b.action.clientAt) || a.index - b.index);
	// One look-up for the whole batch instead of one per action.
	const ledger = new Map(
		(await Action.findAll({ where: { id: [...new Set(valid.map((v) => v.action.id))] } })).map((row) => [row.id, row]),
	);
	const answered = new Map<string, SyncResult>();
	for (const { index, action } of valid) {
		const first = answered.get(action.id);
		if (first) {
			// The same id twice in one batch: answer the repeat as a repeat of the first.
			results[index] = first.outcome === 'rejected' ? first : { id: action.id, outcome: 'duplicate' };
			continue;
		}
		results[index] = await applyOne(caller, action, ledger.get(action.id), now);
		answered.set(action.id, results[index]);
	}

	const status = await todayStatus(caller.userId, now);
	return { results, status: { date: status.date, signedIn: status.signedIn, sinceTime: status.sinceTime } };
}
