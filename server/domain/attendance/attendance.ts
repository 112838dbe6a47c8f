/**
 * Signing in and out. Every action is a fact kept in the `actions` ledger,
 * and a person's records are the fold of their facts (see
 * src/lib/contracts/attendance-fold.ts): a sign-in opens a record when none
 * is current, a sign-out closes the current ones, and a fact that arrives
 * late takes its place in the history instead of being applied out of turn.
 * The ledger row is written in the same transaction as the records it
 * changes, so a repeat of an action id is answered with the first outcome and
 * changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import { config } from '../../config';
import { database } from '../../db/database';
import { directTransaction } from '../../db/direct-transaction';
import { Action } from '../../db/models/attendance.model';
import { openRecordsOf } from '../../db/queries/person-day.query';
import { changedState, type Effect, type FoldRecord, type FoldRules } from '../../../src/lib/contracts/attendance-fold';
import { appliedMessages, noOpMessage, wrongDateMessages, type NoOpDetail } from '../../../src/lib/contracts/attendance-messages';
import type { AuditInput } from '../shared/audit';
import { isRealtime, type AttendanceKind } from './attendance-rules';
import { localDate, localTime } from '../shared/clock';
import { DomainError } from '../shared/errors';
import { events, type AttendanceEvent } from '../shared/events';
import { maxShiftMs } from '../shared/settings';
import { currentRecord, recordFacts, RepeatedFactsError, type FoldedFacts, type NewFact } from './fact-store';

export type { AttendanceKind };

export interface TodayStatus {
	date: string;
	signedIn: boolean;
	/** When the current record began, if signed in (it may have begun before midnight). */
	since: Date | null;
	/** `since` as building-local HH:MM. */
	sinceTime: string | null;
}

export interface AttendanceRequest {
	userId: number;
	kind: AttendanceKind;
	audit: AuditInput;
	/** Client-generated UUID: the idempotency key. One is made when the caller has none. */
	actionId?: string;
	/** The date a server-rendered form was rendered for; refused if it is not today. */
	renderedDate?: string;
	/** When the action happened; default now. */
	at?: Date;
}

/** What an action did: `no-op` when the state it met made it change nothing. */
export type FactOutcome = 'applied' | 'no-op';

export interface AttendanceResult {
	outcome: FactOutcome | 'duplicate';
	/** For a duplicate, what the first delivery of this action did. */
	firstOutcome: FactOutcome;
	/** For a no-op, what it met. */
	detail?: NoOpDetail;
	message: string;
	status: TodayStatus;
}

export async function foldRules(): Promise<FoldRules> {
	const zone = config().buildingTz;
	return { maxShiftMs: await maxShiftMs(), dateOf: (at) => localDate(new Date(at), zone) };
}

function statusFrom(record: Pick<FoldRecord, 'signInAt'> | undefined, at: Date): TodayStatus {
	const since = record ? new Date(record.signInAt) : null;
	return { date: localDate(at), signedIn: since !== null, since, sinceTime: since ? localTime(since) : null };
}

/** The status a fold leaves, without asking the database again. */
export const statusAfter = (open: readonly FoldRecord[], at: Date, rules: FoldRules): TodayStatus => statusFrom(currentRecord(open, at, rules), at);

/** The person's state at `at`: signed in while a record is current, even one begun before midnight. */
export async function todayStatus(userId: number, at = new Date(), t?: Transaction): Promise<TodayStatus> {
	const [open, rules] = await Promise.all([openRecordsOf(database(), userId, t), foldRules()]);
	const records = open.map((r) => ({ date: r.date, signInAt: r.signInAt.getTime(), signOutAt: null, signInFactId: null, signOutFactId: null }));
	return statusFrom(currentRecord(records, at, rules), at);
}

/** Puts a no-op effect in the words the person sees; `by` names the fact whose device is compared. */
export function noOpDetail(effect: Effect, deviceId: string | null, devices: ReadonlyMap<string, string | null>): NoOpDetail | undefined {
	if (effect.kind === 'already-in') {
		const elsewhere = effect.by !== null && devices.get(effect.by) !== deviceId;
		return { reason: 'already-signed-in', at: new Date(effect.since).toISOString(), elsewhere };
	}
	if (effect.kind === 'already-out') {
		const elsewhere = effect.by !== null && devices.get(effect.by) !== deviceId;
		return { reason: 'already-signed-out', at: effect.at === null ? null : new Date(effect.at).toISOString(), elsewhere };
	}
	return undefined;
}

/** Announces, after the commit, the facts that changed someone's state. */
export function announce(folded: FoldedFacts, facts: readonly NewFact[], source: AuditInput['source'], now = new Date()): void {
	const { user } = folded;
	for (const fact of facts) {
		const effect = folded.effects.get(fact.id);
		if (!changedState(effect)) continue;
		const event: AttendanceEvent = {
			userId: user.id,
			firstName: user.firstName,
			lastName: user.lastName,
			at: fact.at,
			date: localDate(fact.at),
			// How this fact came (a poster, a kiosk), when the request that carried it says less (a sync).
			source: fact.source ?? source,
			realtime: isRealtime(fact.at, now, config().sync.realtimeMaxAgeMs),
		};
		void events.emit(effect.kind === 'opened' ? 'signed-in' : 'signed-out', event);
	}
}

async function knownAction(request: AttendanceRequest, id: string): Promise<Action | null> {
	const known = await Action.findByPk(id);
	if (known && (known.userId !== request.userId || known.kind !== request.kind)) {
		throw new DomainError('conflict', 'That action id was already used for a different action.');
	}
	if (known?.outcome === 'rejected') throw new DomainError('invalid-input', `This action was rejected: ${known.reason}.`);
	return known;
}

function duplicateOf(known: Action, request: AttendanceRequest, at: Date, status: TodayStatus): AttendanceResult {
	const firstOutcome = known.outcome === 'applied' ? 'applied' : 'no-op';
	const reason = known.reason === 'already-signed-in' || known.reason === 'already-signed-out' ? known.reason : request.kind === 'sign-in' ? 'already-signed-in' : 'already-signed-out';
	const detail: NoOpDetail | undefined = firstOutcome === 'no-op' ? { reason, at: null, elsewhere: false } : undefined;
	return { outcome: 'duplicate', firstOutcome, detail, message: detail ? noOpMessage(detail, config().buildingTz, at) : appliedMessages[request.kind], status };
}

/** Records one action from a page, the tRPC API or the mobile app, and answers with the person's status. */
export async function recordAttendance(request: AttendanceRequest): Promise<AttendanceResult> {
	const at = request.at ?? new Date();
	if (request.renderedDate !== undefined && request.renderedDate !== localDate(at)) {
		throw new DomainError('wrong-date', wrongDateMessages[request.kind]);
	}
	// A repeated id is found by the fold's own read (or, outside its window, by the primary key): no look-up first.
	const id = request.actionId ?? randomUUID();
	const fact: NewFact = { id, kind: request.kind, at, clientAt: at, deviceId: request.audit.deviceId ?? null, seq: null };
	const rules = await foldRules();
	let folded: FoldedFacts;
	try {
		folded = await directTransaction((t) => recordFacts(request.userId, [fact], request.audit, rules, t));
	} catch (error) {
		// A repeat, or the same id arriving twice at once: the first delivery stands and this one changes nothing.
		if ((error instanceof RepeatedFactsError || error instanceof UniqueConstraintError) && request.actionId) {
			const winner = await knownAction(request, id);
			if (winner) return duplicateOf(winner, request, at, await todayStatus(request.userId, at));
		}
		throw error;
	}
	announce(folded, [fact], request.audit.source);

	const effect = folded.effects.get(id)!;
	const status = statusAfter(folded.open, at, rules);
	const detail = noOpDetail(effect, fact.deviceId, folded.devices);
	if (!detail) return { outcome: 'applied', firstOutcome: 'applied', message: appliedMessages[request.kind], status };
	return { outcome: 'no-op', firstOutcome: 'no-op', detail, message: noOpMessage(detail, config().buildingTz, at), status };
}
