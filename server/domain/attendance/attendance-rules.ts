/**
 * The rule that turns a person's facts into what an incoming action does.
 *
 * Sign-ins and sign-outs are facts with a time. Devices queue them offline
 * and deliver them late and out of order, so an action is judged against the
 * person's day as the server knows it:
 *
 * - An action older than the newest fact of that day is history: it is kept in
 *   the ledger but never overrides the newer state ("stale"). Without this, a
 *   phone's 08:55 sign-in arriving at 18:00 would reopen a day the kiosk had
 *   closed at 17:00.
 * - Otherwise a sign-in opens a record only when none is open, and a sign-out
 *   closes the open ones; the opposite is a recorded no-op.
 *
 * Client times are first checked against the allowed window: more than the
 * skew ahead of the server clock, or older than the offline window, is
 * rejected; a time slightly ahead (within the skew) is clamped to now.
 */
export type AttendanceKind = 'sign-in' | 'sign-out';

export interface DayFacts {
	/** Whether the person has an open record on the action's date. */
	open: boolean;
	/** The newest sign-in or sign-out time on the action's date, if any. */
	latest: Date | null;
}

export type Decision = 'apply' | 'no-op' | 'stale';

export function decide(kind: AttendanceKind, at: Date, day: DayFacts): Decision {
	if (day.latest && at.getTime() < day.latest.getTime()) return 'stale';
	if (kind === 'sign-in') return day.open ? 'no-op' : 'apply';
	return day.open ? 'apply' : 'no-op';
}

export interface TimeWindow {
	/** How far a client clock may run ahead of the server's. */
	maxSkewMs: number;
	/** How long an action may wait in an outbox. */
	offlineWindowMs: number;
}

export type EventTime = { ok: true; at: Date } | { ok: false; reason: 'clock-ahead' | 'too-old' };

export function eventTime(clientAt: Date, now: Date, window: TimeWindow): EventTime {
	const ahead = clientAt.getTime() - now.getTime();
	if (ahead > window.maxSkewMs) return { ok: false, reason: 'clock-ahead' };
	if (-ahead > window.offlineWindowMs) return { ok: false, reason: 'too-old' };
	return { ok: true, at: ahead > 0 ? now : clientAt };
}

/** Whether an event is fresh enough to tell people about in real time (Slack, pushes). */
export function isRealtime(at: Date, receivedAt: Date, maxAgeMs: number): boolean {
	return receivedAt.getTime() - at.getTime() <= maxAgeMs;
}
