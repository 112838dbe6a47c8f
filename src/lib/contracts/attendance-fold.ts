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
 * This module is pure (no I/O, no clock) and is shared by the server, which
 * folds stored facts into sign-in records, and the browser, which folds its
 * waiting outbox over the last state the server sent.
 */
export type FactKind = 'sign-in' | 'sign-out';

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
}

/** What one fact did when its turn came. */
export type Effect =
	| { kind: 'opened' }
	| { kind: 'closed' }
	/** A sign-in while a record was current: `since` is when it began, `by` the fact that opened it. */
	| { kind: 'already-in'; since: number; by: string | null }
	/** A sign-out with nothing current: `at` and `by` name the sign-out that closed the last record, if recent. */
	| { kind: 'already-out'; at: number | null; by: string | null };

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
 * Replays `facts` over the records that were open before the first of them.
 * Returns every record touched or made (open ones included) and each fact's effect.
 */
export function fold(facts: readonly Fact[], openBefore: readonly FoldRecord[], rules: FoldRules): FoldResult {
	const records: FoldRecord[] = openBefore.map((r) => ({ ...r, signOutAt: null, signOutFactId: null }));
	const effects = new Map<string, Effect>();
	let lastClose: { at: number; by: string } | null = null;

	for (const fact of orderFacts(facts)) {
		const current = records.filter((r) => r.signOutAt === null && isCurrent(r, fact.at, rules));
		if (fact.kind === 'sign-in') {
			const open = current[0];
			if (open) {
				effects.set(fact.id, { kind: 'already-in', since: open.signInAt, by: open.signInFactId });
			} else {
				records.push({ date: rules.dateOf(fact.at), signInAt: fact.at, signOutAt: null, signInFactId: fact.id, signOutFactId: null });
				effects.set(fact.id, { kind: 'opened' });
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
export const changedState = (effect: Effect | undefined) => effect?.kind === 'opened' || effect?.kind === 'closed';
