/**
 * What every sync handler shares: storing a person's new facts with their
 * ledger rows, and recording a refusal so a resend is answered the same way.
 *
 * New facts are stored in one transaction; if that fails, each is tried in a
 * transaction of its own, so one poison action is recorded as rejected and
 * cannot block the rest. Repeating any action changes nothing.
 */
import { UniqueConstraintError } from 'sequelize';
import { directTransaction } from '../../db/direct-transaction';
import { Action, type AuditSource } from '../../db/models/attendance.model';
import type { SyncResult } from '../../../src/lib/contracts/sync-protocol';
import { announce, foldRules, noOpDetail, statusAfter, type TodayStatus } from '../attendance/attendance';
import { recordFacts, RepeatedFactsError, type NewFact } from '../attendance/fact-store';
import type { AuditInput } from '../shared/audit';
import { logger } from '../../logger';

export interface FactSubject {
	userId: number;
	request: Omit<AuditInput, 'source' | 'deviceId'>;
	/** How the facts came, for their audit record: `sync` for a phone, `kiosk` for a kiosk's scans. */
	source: AuditSource;
}

export const rejected = (id: string | null, reason: string): SyncResult => ({ id, outcome: 'rejected', reason });

export interface RefusedAction {
	id: string;
	deviceId: string;
	kind: string;
	clientAt: string;
}

/** Records a refusal in the ledger (once), so a resend is answered the same way. */
export async function recordRejection(userId: number, action: RefusedAction, reason: string): Promise<SyncResult> {
	try {
		await Action.create({
			id: action.id,
			userId,
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

const repeated = (error: unknown) => error instanceof UniqueConstraintError || error instanceof RepeatedFactsError;

/**
 * Stores new facts in one transaction; on failure, one transaction each, rejecting only those that fail alone.
 * Answers each fact, and the person's status after the last fold (when there was one).
 */
export async function applyFacts(subject: FactSubject, facts: NewFact[], now: Date): Promise<{ results: Map<string, SyncResult>; status?: TodayStatus }> {
	const results = new Map<string, SyncResult>();
	if (facts.length === 0) return { results };
	const audit: AuditInput = { ...subject.request, source: subject.source, deviceId: facts[0]!.deviceId };
	const rules = await foldRules();
	let status: TodayStatus | undefined;
	const apply = async (batch: NewFact[]) => {
		const folded = await directTransaction((t) => recordFacts(subject.userId, batch, audit, rules, t));
		status = statusAfter(folded.open, now, rules);
		announce(folded, batch, subject.source);
		for (const fact of batch) {
			const detail = noOpDetail(folded.effects.get(fact.id)!, fact.deviceId, folded.devices);
			results.set(fact.id, detail ? { id: fact.id, outcome: 'no-op', reason: detail.reason, detail } : { id: fact.id, outcome: 'applied' });
		}
	};
	try {
		await apply(facts);
		return { results, status };
	} catch (error) {
		if (facts.length === 1 && !repeated(error)) throw error;
	}
	for (const fact of facts) {
		try {
			await apply([fact]);
		} catch (error) {
			if (repeated(error)) results.set(fact.id, { id: fact.id, outcome: 'duplicate' });
			else {
				logger().warn({ err: error, actionId: fact.id }, 'sync action could not be applied');
				results.set(fact.id, rejected(fact.id, 'could-not-apply'));
			}
		}
	}
	return { results, status };
}
