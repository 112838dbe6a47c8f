/**
 * The day is a fold of its facts (DESIGN §4).
 *
 * Every sign-in and sign-out that reaches the server is a fact with an event
 * time (the tap's clock, clamped), whether it changed anything when it
 * arrived or not. A person's records are what you get by replaying their
 * facts in order through one small state machine:
 *
 * - the state is the set of open records;
 * - an open record is *current* at time t when it began on t's building date,
 *   or at most `maxShiftMs` before t (a night shift that crosses midnight);
 *   an older open record is one the person did not sign out of, and nothing
 *   closes it by guesswork;
 * - a sign-in opens a record unless one is current (then it is a no-op);
 * - a sign-out closes every current record (or is a no-op when none is).
 *
 * Order: each device's facts keep their device order (its sequence number),
 * and the devices' sequences are merged by event time. A phone whose clock
 * is corrected mid-day therefore keeps its own order, while facts from
 * different devices interleave by the time they happened. A sign-out that so
 * lands before its sign-in on the clock closes the record at the sign-in
 * time: a visit of no length rather than a negative one.
 *
 * Because the state is rebuilt from facts, a sign-in from 08:00 queued on a
 * phone and delivered at 17:30, after a sign-out at 17:00 from another device
 * (a no-op when it arrived), gives one record 08:00–17:00.
 *
 * Admin corrections are facts too, and they outrank device facts (issue 10).
 * A correction names the record it corrects by that record's sign-in time as
 * the admin saw it (`target`):
 *
 * - `correction-sign-in` moves the record's start: before the replay, the
 *   device sign-in that began it is moved to the corrected time (an open
 *   record from before the window is moved likewise). With no target, or
 *   when its target is not among the facts, it is replayed as a sign-in (an
 *   admin adding a visit that no device recorded).
 * - `correction-sign-out` at its turn closes its target record at the
 *   corrected time, whether the record is open, current or not (a person who
 *   did not sign out days ago), or already closed by a device at another time:
 *   the admin's time wins. Device sign-outs earlier than it are overridden;
 *   device facts after it apply as usual (a later sign-in opens a new record,
 *   a later sign-out meets a closed record and is a no-op).
 *
 * Corrections are applied in the order they arrived, so the latest
 * correction of the same thing wins. A record keeps the id of the last
 * correction that touched it (`correctionFactId`), which the report shows.
 *
 * This module is pure (no I/O, no clock) and is shared by the server, which
 * folds stored facts into sign-in records, and the browser, which folds its
 * waiting outbox over the last state the server sent (devices never hold
 * corrections: the browser folds device facts only).
 */
export type DeviceFactKind = 'sign-in' | 'sign-out';
export type CorrectionKind = 'correction-sign-in' | 'correction-sign-out';
export type FactKind = DeviceFactKind | CorrectionKind;

export const isCorrection = (kind: string): kind is CorrectionKind => kind === 'correction-sign-in' || kind === 'correction-sign-out';

export interface Fact {
	id: string;
	kind: FactKind;
	/** Event time, epoch milliseconds. */
	at: number;
	/** The device that recorded it; null for a device that keeps no sequence (a form post, the legacy app). */
	deviceId: string | null;
	/** The device's own sequence number, when it has one. */
	seq: number | null;
	/** Arrival order, to break exact ties. */
	arrival: number;
	/** For a correction: the sign-in time (epoch ms) of the record it corrects; null for an added visit. */
	target?: number | null;
}

export interface FoldRecord {
	/** The stored record's id, when it exists already. */
	recordId?: number;
	/** The building-local date the record began on. */
	date: string;
	signInAt: number;
	signOutAt: number | null;
	signInFactId: string | null;
	signOutFactId: string | null;
	/** The last correction that touched this record, if any. */
	correctionFactId?: string | null;
}

/** What one fact did when its turn came. */
export type Effect =
	| { kind: 'opened' }
	| { kind: 'closed' }
	/** A sign-in while a record was current: `since` is when it began, `by` the fact that opened it. */
	| { kind: 'already-in'; since: number; by: string | null }
	/** A sign-out with nothing current: `at` and `by` name the sign-out that closed the last record, if recent. */
	| { kind: 'already-out'; at: number | null; by: string | null }
	/** A correction that changed a record. */
	| { kind: 'corrected' };

export interface FoldRules {
	maxShiftMs: number;
	/** The building-local date (YYYY-MM-DD) of an instant. */
	dateOf: (at: number) => string;
}

export interface FoldResult {
	records: FoldRecord[];
	effects: Map<string, Effect>;
}

const byTime = (a: Fact, b: Fact) => a.at - b.at || a.arrival - b.arrival;

/** Each device's facts in sequence order, merged across devices by event time. */
export function orderFacts(facts: readonly Fact[]): Fact[] {
	const lanes = new Map<string, Fact[]>();
	for (const fact of facts) {
		const lane = fact.deviceId !== null && fact.seq !== null ? `d:${fact.deviceId}` : `f:${fact.id}`;
		(lanes.get(lane) ?? lanes.set(lane, []).get(lane)!).push(fact);
	}
	const queues = [...lanes.values()].map((lane) => lane.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || byTime(a, b)));
	const ordered: Fact[] = [];
	while (ordered.length < facts.length) {
		let next = queues.find((q) => q.length > 0)!;
		for (const queue of queues) if (queue.length > 0 && byTime(queue[0]!, next[0]!) < 0) next = queue;
		ordered.push(next.shift()!);
	}
	return ordered;
}

/** Whether an open record still counts as the person being in at `at`. */
export function isCurrent(record: Pick<FoldRecord, 'date' | 'signInAt'>, at: number, rules: FoldRules): boolean {
	// A record that "begins after" `at` can only come from a device whose clock went back: it is current.
	return record.date === rules.dateOf(at) || at - record.signInAt <= rules.maxShiftMs;
}

/**
 * Corrections of sign-in times, applied before the replay in arrival order:
 * each moves the device sign-in (or the open record from before the window)
 * that began its target record. Returns the facts to replay.
 */
function moveSignIns(facts: readonly Fact[], records: FoldRecord[], effects: Map<string, Effect>, rules: FoldRules): { facts: Fact[]; correctedBy: Map<string, string> } {
	let replay = facts.filter((f) => f.kind !== 'correction-sign-in' || f.target == null);
	const correctedBy = new Map<string, string>();
	const moves = facts.filter((f) => f.kind === 'correction-sign-in' && f.target != null).sort((a, b) => a.arrival - b.arrival);
	for (const move of moves) {
		const from = move.target!;
		const device = replay.find((f) => (f.kind === 'sign-in' || f.kind === 'correction-sign-in') && f.at === from);
		const record = records.find((r) => r.signInAt === from);
		if (device) {
			// Out of its device's sequence: the admin's time places it.
			replay = replay.map((f) => (f === device ? { ...f, at: move.at, seq: null } : f));
			correctedBy.set(device.id, move.id);
		} else if (record) {
			Object.assign(record, { signInAt: move.at, date: rules.dateOf(move.at), correctionFactId: move.id });
		} else {
			// Its record is gone from the facts: the admin's time stands as a sign-in of its own.
			replay.push({ ...move, target: null });
			continue;
		}
		// A sign-out correction of the same record follows it to its new start.
		replay = replay.map((f) => (f.kind === 'correction-sign-out' && f.target === from ? { ...f, target: move.at } : f));
		effects.set(move.id, { kind: 'corrected' });
	}
	return { facts: replay, correctedBy };
}

/**
 * Replays `facts` over the records that were open before the first of them.
 * Returns every record touched or made (open ones included) and each fact's effect.
 */
export function fold(facts: readonly Fact[], openBefore: readonly FoldRecord[], rules: FoldRules): FoldResult {
	const records: FoldRecord[] = openBefore.map((r) => ({ ...r, signOutAt: null, signOutFactId: null }));
	const effects = new Map<string, Effect>();
	let lastClose: { at: number; by: string } | null = null;
	const { facts: moved, correctedBy } = moveSignIns(facts, records, effects, rules);
	// Of several sign-out corrections of one record, the last to arrive stands; the others were overruled.
	const latest = new Map<number, Fact>();
	for (const f of moved) if (f.kind === 'correction-sign-out' && f.target != null && (latest.get(f.target)?.arrival ?? -Infinity) < f.arrival) latest.set(f.target, f);
	const replay = moved.filter((f) => f.kind !== 'correction-sign-out' || f.target == null || latest.get(f.target) === f);
	for (const f of moved) if (!replay.includes(f)) effects.set(f.id, { kind: 'corrected' });

	for (const fact of orderFacts(replay)) {
		if (fact.kind === 'correction-sign-out') {
			const target = records.find((r) => r.signInAt === fact.target) ?? records.filter((r) => r.signInAt <= fact.at).at(-1);
			if (!target) {
				effects.set(fact.id, { kind: 'already-out', at: null, by: null });
				continue;
			}
			Object.assign(target, { signOutAt: Math.max(fact.at, target.signInAt), signOutFactId: fact.id, correctionFactId: fact.id });
			lastClose = { at: fact.at, by: fact.id };
			effects.set(fact.id, { kind: 'corrected' });
			continue;
		}
		const current = records.filter((r) => r.signOutAt === null && isCurrent(r, fact.at, rules));
		if (fact.kind === 'sign-in' || fact.kind === 'correction-sign-in') {
			const open = current[0];
			if (open) {
				effects.set(fact.id, { kind: 'already-in', since: open.signInAt, by: open.signInFactId });
			} else {
				const correctionFactId = fact.kind === 'correction-sign-in' ? fact.id : (correctedBy.get(fact.id) ?? null);
				records.push({ date: rules.dateOf(fact.at), signInAt: fact.at, signOutAt: null, signInFactId: fact.id, signOutFactId: null, ...(correctionFactId ? { correctionFactId } : {}) });
				if (!effects.has(fact.id)) effects.set(fact.id, { kind: fact.kind === 'sign-in' ? 'opened' : 'corrected' });
			}
			continue;
		}
		if (current.length === 0) {
			const recent = lastClose && isCurrent({ date: rules.dateOf(lastClose.at), signInAt: lastClose.at }, fact.at, rules);
			effects.set(fact.id, { kind: 'already-out', at: recent ? lastClose!.at : null, by: recent ? lastClose!.by : null });
			continue;
		}
		for (const record of current) {
			// A device whose clock went back between its two taps: a visit of no length, never a negative one.
			record.signOutAt = Math.max(fact.at, record.signInAt);
			record.signOutFactId = fact.id;
		}
		lastClose = { at: fact.at, by: fact.id };
		effects.set(fact.id, { kind: 'closed' });
	}
	return { records, effects };
}

/** Whether a fact's effect changed the person's state (an "applied" outcome). */
export const changedState = (effect: Effect | undefined) => effect?.kind === 'opened' || effect?.kind === 'closed' || effect?.kind === 'corrected';
