/**
 * Applies a batch of queued actions from a device (DESIGN §4). Each action is
 * parsed on its own and checked against the allowed time window; the new
 * ones are stored as facts and folded into the person's records in one
 * transaction with their ledger rows. If that transaction fails, each action
 * is tried in a transaction of its own, so one poison action is recorded as
 * rejected and cannot block the rest. Repeating any action changes nothing.
 *
 * An action is only ever recorded for the person who made it: one that names
 * someone else is refused without touching the ledger, so it is still
 * deliverable when its own person logs in on that phone. Accounts merged
 * into the caller count as the caller.
 *
 * An action may say where it happened (`place`: a poster's location or a
 * kiosk's presence code); a claim that does not check is refused and the
 * action recorded nowhere but in the ledger (kiosk/places.ts).
 */
import { config } from '../../config';
import { Action } from '../../db/models/attendance.model';
import { UserAlias } from '../../db/models/people.model';
import { syncAction, type SyncAction, type SyncPushReply, type SyncResult } from '../../../src/lib/contracts/sync';
import { todayStatus } from '../attendance/attendance';
import { eventTime } from '../attendance/attendance-rules';
import type { NewFact } from '../attendance/fact-store';
import type { AuditInput } from '../shared/audit';
import { checkPlace } from '../kiosk/places';
import { applyFacts, recordRejection, rejected } from './apply-facts';

export interface SyncCaller {
	userId: number;
	request: Omit<AuditInput, 'source' | 'deviceId'>;
}

export function idOf(raw: unknown): string | null {
	const id = (raw as { id?: unknown } | null)?.id;
	return typeof id === 'string' && id.length <= 64 ? id : null;
}

const toNewFact = (action: SyncAction, at: Date, place?: { locationId: number | null; source: NewFact['source'] }): NewFact => ({
	id: action.id,
	kind: action.kind,
	at,
	clientAt: new Date(action.clientAt),
	deviceId: action.deviceId,
	seq: action.seq ?? null,
	...(place ? { locationId: place.locationId, source: place.source } : {}),
});

export async function pushActions(caller: SyncCaller, rawActions: unknown[], now = new Date()): Promise<SyncPushReply> {
	const results = new Array<SyncResult>(rawActions.length);
	const valid: Array<{ index: number; action: SyncAction }> = [];
	rawActions.forEach((raw, index) => {
		const parsed = syncAction.safeParse(raw);
		if (parsed.success) valid.push({ index, action: parsed.data });
		else results[index] = rejected(idOf(raw), `malformed: ${parsed.error.issues[0]?.message ?? 'invalid action'}`);
	});
	// One look-up for the whole batch instead of one per action.
	const ledger = new Map(
		(await Action.findAll({ where: { id: [...new Set(valid.map((v) => v.action.id))] } })).map((row) => [row.id, row]),
	);
	const mine = await ownIds(caller.userId, valid.map((v) => v.action.userId));

	const fresh = new Map<string, NewFact>();
	const answered = new Map<string, SyncResult>();
	for (const { index, action } of valid) {
		const known = ledger.get(action.id);
		const first = answered.get(action.id);
		let result: SyncResult | undefined;
		if (first || fresh.has(action.id)) {
			// The same id twice in one batch: answered as a repeat of the first.
			result = first?.outcome === 'rejected' ? first : { id: action.id, outcome: 'duplicate' };
		} else if (action.userId !== undefined && !mine.has(action.userId)) result = rejected(action.id, 'other-user');
		else if (known && !mine.has(known.userId)) result = rejected(action.id, 'id-conflict');
		else if (known?.outcome === 'rejected') result = rejected(action.id, known.reason ?? 'rejected');
		else if (known) result = { id: action.id, outcome: 'duplicate' };
		else {
			const time = eventTime(new Date(action.clientAt), now, config().sync);
			if (!time.ok) result = await recordRejection(caller.userId, action, time.reason);
			else if (!action.place) fresh.set(action.id, toNewFact(action, time.at));
			else {
				const place = await checkPlace(action.place, time.at, now);
				if (place.ok) fresh.set(action.id, toNewFact(action, time.at, place));
				else result = await recordRejection(caller.userId, action, place.reason);
			}
		}
		if (result) {
			results[index] = result;
			answered.set(action.id, result);
		}
	}
	const applied = await applyFacts({ ...caller, source: 'sync' }, [...fresh.values()], now);
	valid.forEach(({ index, action }) => (results[index] ??= applied.results.get(action.id)!));

	const status = applied.status ?? (await todayStatus(caller.userId, now));
	return { results, status: { date: status.date, signedIn: status.signedIn, since: status.since?.toISOString() ?? null, sinceTime: status.sinceTime } };
}

/** Those of `userIds` that are accounts merged into `userId`. */
export async function claimableUserIds(userId: number, userIds: readonly number[]): Promise<number[]> {
	const others = [...new Set(userIds.filter((id) => id !== userId))];
	if (others.length === 0) return [];
	return (await UserAlias.findAll({ where: { oldUserId: others, userId } })).map((a) => a.oldUserId);
}

/** The caller's id and the ids of accounts merged into it, among those the batch names. */
async function ownIds(userId: number, named: Array<number | undefined>): Promise<Set<number>> {
	const others = named.filter((id): id is number => id !== undefined);
	return new Set([userId, ...(await claimableUserIds(userId, others))]);
}
