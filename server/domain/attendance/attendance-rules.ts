/**
 * The time rules of attendance actions. What an action does to a person's
 * records is the fold in src/lib/contracts/attendance-fold.ts; here, the
 * window a client's clock is trusted in, and when an event is fresh enough to
 * page anyone about.
 *
 * Client times more than the skew ahead of the server clock, or older than
 * the offline window, are rejected; a time slightly ahead (within the skew)
 * is clamped to now.
 */
export type { AttendanceKind } from '../../../src/lib/contracts/attendance-messages';
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
