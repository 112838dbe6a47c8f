/**
 * Where the fold meets the database. New facts are folded together with the
 * person's stored facts of a window before them, and the sign-in records are
 * rewritten to what the fold says, inside the caller's transaction.
 *
 * Why a window is enough: a fact at time t only touches records that are
 * current at t (begun on t's date or at most the maximum shift before it,
 * never more than 25 hours), and later facts are later still. So folding the
 * facts from WINDOW_MS before the earliest new fact, starting from the
 * records that were open at that moment, reproduces everything before the
 * new fact exactly and recomputes everything after it.
 */
import type { TransactionScope } from '../../db/queries/direct-statements';
import { database } from '../../db/database';
import {
	closeRecord,
	deleteRecords,
	reviseRecord,
	insertAudit,
	insertFacts,
	insertRecords,
	lockPersonAndLoadDay,
	type AuditId,
	type PersonRow,
	type RecordValues,
} from '../../db/queries/attendance-writes.query';
import type { StoredFact, StoredRecord } from '../../db/queries/person-day.query';
import { changedState, fold, isCurrent, type Effect, type Fact, type FactKind, type FoldRecord, type FoldRules } from '../../../src/lib/contracts/attendance-fold';
import type { AuditSource } from '../../db/models/attendance.model';
import { auditValues, type AuditInput } from '../shared/audit';
import { DomainError } from '../shared/errors';

/** Longer than any record a fact can touch (a 24-hour shift, plus a 25-hour day at a clock change). */
const WINDOW_MS = 48 * 3_600_000;

export interface NewFact {
	id: string;
	kind: FactKind;
	/** Event time, already clamped. */
	at: Date;
	/** The device's own clock, for the ledger. */
	clientAt: Date;
	deviceId: string | null;
	seq: number | null;
	/** Where it happened; the record it opens keeps it. */
	locationId?: number | null;
	/** How it came (kiosk, poster, ...), when not the request's own audit source. */
	source?: AuditSource;
	/** For a correction: the sign-in time of the record it corrects. */
	target?: Date | null;
	/** An audit row written already (an admin correction's, with who, why, before and after). */
	auditId?: number;
}

export interface FoldedFacts {
	user: PersonRow;
	effects: Map<string, Effect>;
	/** The person's open records after the fold, current or not. */
	open: FoldRecord[];
	/** The device of each fact the fold saw, to tell "on another device". */
	devices: Map<string, string | null>;
}

const toFact = (row: StoredFact): Fact => ({
	id: row.id,
	kind: row.kind as FactKind,
	at: row.at.getTime(),
	deviceId: row.deviceId,
	seq: row.seq,
	arrival: row.receivedAt.getTime(),
	target: row.targetAt?.getTime() ?? null,
});

/**
 * When each new fact arrived, in the order they are applied. The fold breaks
 * ties of event time by arrival, so arrival must follow the order the facts
 * were stored in: the clock is read after the person's lock (a request that
 * waited for it arrives after the one that held it), never before a stored
 * fact even if the clock stepped back, and one millisecond apart within a
 * batch, as stored, so a refold reads the same order back.
 */
function arrivalTimes(count: number, clock: Date, stored: readonly StoredFact[]): Date[] {
	const first = Math.max(clock.getTime(), ...stored.map((s) => s.receivedAt.getTime() + 1));
	return Array.from({ length: count }, (_, i) => new Date(first + i));
}

/** Some of the new facts are stored already (a repeated delivery): nothing was written. */
export class RepeatedFactsError extends Error {
	constructor(readonly ids: string[]) {
		super(`Facts already stored: ${ids.join(', ')}`);
		this.name = 'RepeatedFactsError';
	}
}

const toFoldRecord = (row: StoredRecord): FoldRecord => ({
	recordId: row.id,
	date: row.date,
	signInAt: row.signInAt.getTime(),
	signOutAt: row.signOutAt?.getTime() ?? null,
	signInFactId: null,
	signOutFactId: null,
	correctionFactId: null,
});

/**
 * Stores `facts` for the person and refolds their records. The person's row
 * is locked first, so two devices of one person are applied one after the other.
 */
export async function recordFacts(
	userId: number,
	facts: readonly NewFact[],
	audit: AuditInput,
	rules: FoldRules,
	t: TransactionScope,
	receivedAt?: Date,
): Promise<FoldedFacts> {
	const sql = database();
	// A correction reaches back to the record it names as well as to its own time.
	const from = new Date(Math.min(...facts.map((f) => Math.min(f.at.getTime(), f.target?.getTime() ?? Infinity))) - WINDOW_MS);
	const {
		person: user,
		day: { facts: stored, records },
	} = await lockPersonAndLoadDay(sql, userId, from, t);
	if (!user) throw new DomainError('not-found', 'No such user.');
	const repeated = facts.filter((f) => stored.some((s) => s.id === f.id));
	if (repeated.length) throw new RepeatedFactsError(repeated.map((f) => f.id));
	const clock = receivedAt ?? new Date();
	const arrivals = arrivalTimes(facts.length, clock, stored);
	// One audit row per way the facts came: one for a usual batch, one more when it mixes a poster with a phone tap.
	const auditIds = new Map<AuditSource, AuditId>();
	for (const source of new Set(facts.filter((f) => f.auditId === undefined).map((f) => f.source ?? audit.source))) {
		auditIds.set(source, await insertAudit(sql, auditValues({ ...audit, source }, clock), t));
	}
	const auditOf = new Map<string, AuditId | null>(stored.map((row) => [row.id, row.auditId]));
	for (const fact of facts) auditOf.set(fact.id, fact.auditId ?? auditIds.get(fact.source ?? audit.source)!);
	const locationOf = new Map<string, number | null>(stored.map((row) => [row.id, row.locationId]));
	for (const fact of facts) locationOf.set(fact.id, fact.locationId ?? null);

	const before = records.filter((r) => r.signInAt < from);
	const inWindow = records.filter((r) => r.signInAt >= from);
	const all = [
		...stored.map(toFact),
		...facts.map((f, i) => ({ id: f.id, kind: f.kind, at: f.at.getTime(), deviceId: f.deviceId, seq: f.seq, arrival: arrivals[i]!.getTime(), target: f.target?.getTime() ?? null })),
	];
	const result = fold(all, before.map(toFoldRecord), rules);

	await writeRecords(userId, result.records, { before, inWindow }, { auditOf, locationOf }, t);
	await insertFacts(
		sql,
		facts.map((f, i) => {
			const effect = result.effects.get(f.id);
			return {
				id: f.id,
				userId,
				deviceId: f.deviceId,
				kind: f.kind,
				clientAt: f.clientAt,
				receivedAt: arrivals[i]!,
				outcome: changedState(effect) ? 'applied' : 'no-op',
				reason: effect?.kind === 'already-in' ? 'already-signed-in' : effect?.kind === 'already-out' ? 'already-signed-out' : null,
				at: f.at,
				deviceSeq: f.seq,
				auditId: auditOf.get(f.id)!,
				locationId: f.locationId ?? null,
				targetAt: f.target ?? null,
			};
		}),
		t,
	);
	return {
		user,
		effects: result.effects,
		open: result.records.filter((r) => r.signOutAt === null),
		devices: new Map(all.map((f) => [f.id, f.deviceId])),
	};
}

/** Writes the difference between the fold's records and the stored ones: usually one insert or one update. */
async function writeRecords(
	userId: number,
	folded: FoldRecord[],
	records: { before: StoredRecord[]; inWindow: StoredRecord[] },
	{ auditOf, locationOf }: { auditOf: Map<string, AuditId | null>; locationOf: Map<string, number | null> },
	t: TransactionScope,
): Promise<void> {
	const sql = database();
	const byId = new Map(records.before.map((r) => [r.id, r]));
	// Records begun inside the window are matched by their start: the fold makes them anew.
	const unmatched = new Map(records.inWindow.map((r) => [r.signInAt.getTime(), r]));
	const audit = (factId: string | null | undefined) => (factId ? (auditOf.get(factId) ?? null) : null);
	const created: RecordValues[] = [];
	for (const record of folded) {
		const row = record.recordId !== undefined ? byId.get(record.recordId) : unmatched.get(record.signInAt);
		if (row && record.recordId === undefined) unmatched.delete(record.signInAt);
		const signOutAt = record.signOutAt === null ? null : new Date(record.signOutAt);
		// A correction outside the window is not among the facts: the row keeps the one it has.
		const correctedAuditId = audit(record.correctionFactId) ?? row?.correctedAuditId ?? null;
		if (!row) {
			const locationId = record.signInFactId ? (locationOf.get(record.signInFactId) ?? null) : null;
			created.push({ userId, date: record.date, signInAt: new Date(record.signInAt), signInAuditId: audit(record.signInFactId), signOutAt, signOutAuditId: audit(record.signOutFactId), locationId, correctedAuditId });
		} else if (row.signInAt.getTime() !== record.signInAt || row.correctedAuditId !== correctedAuditId) {
			await reviseRecord(sql, row.id, { date: record.date, signInAt: new Date(record.signInAt), signOutAt, signOutAuditId: audit(record.signOutFactId), correctedAuditId }, t);
		} else if ((row.signOutAt?.getTime() ?? null) !== record.signOutAt) {
			await closeRecord(sql, row.id, signOutAt, audit(record.signOutFactId), t);
		}
	}
	await insertRecords(sql, created, t);
	await deleteRecords(sql, [...unmatched.values()].map((r) => r.id), t);
}

/** The open record that counts as the person being in at `at`, if any. */
export function currentRecord(open: readonly FoldRecord[], at: Date, rules: FoldRules): FoldRecord | undefined {
	return open.filter((r) => isCurrent(r, at.getTime(), rules)).sort((a, b) => a.signInAt - b.signInAt)[0];
}
