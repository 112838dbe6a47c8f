/**
 * What the staff page shows and what a tap means, decided here and not in
 * the page. The status is the same fold the server runs (attendance-fold),
 * over the last state the server sent and the actions still waiting on this
 * phone, evaluated at the moment of asking: a page cached yesterday and opened
 * today offline shows today's state, and a tap records today's action.
 */
import { fold, isCurrent, type Fact, type FoldRules } from '$lib/contracts/attendance-fold';
import {
	appliedMessages,
	noOpMessage,
	queuedMessages,
	rejectionMessage,
	timeAndDay,
	type AttendanceKind,
} from '$lib/contracts/attendance-messages';
import { countOf, localDateIn } from '$lib/contracts/building-time';
import type { SyncResult, SyncStatus } from '$lib/contracts/sync-protocol';
import type { OutboxEntry } from '../offline/db';

export interface BuildingRules {
	timeZone: string;
	maxShiftMs: number;
}

export interface ShownStatus {
	signedIn: boolean;
	/** When the current record began, ISO. */
	since: string | null;
	/** "09:02", or "22:10 on Monday 23 November" for a record begun on another day. */
	sinceText: string | null;
}

const foldRules = (rules: BuildingRules): FoldRules => ({ maxShiftMs: rules.maxShiftMs, dateOf: (at) => localDateIn(rules.timeZone, new Date(at)) });

/** The server's last word with the waiting actions folded over it, as of `now`. */
export function shownStatus(server: SyncStatus, waiting: readonly OutboxEntry[], now: Date, rules: BuildingRules): ShownStatus {
	const fr = foldRules(rules);
	const since = server.signedIn && server.since ? Date.parse(server.since) : null;
	const open = since === null ? [] : [{ recordId: 0, date: fr.dateOf(since), signInAt: since, signOutAt: null, signInFactId: null, signOutFactId: null }];
	const facts: Fact[] = waiting.map((entry, arrival) => ({
		id: entry.id,
		kind: entry.kind,
		at: Date.parse(entry.clientAt),
		deviceId: entry.deviceId,
		seq: entry.seq ?? null,
		arrival,
	}));
	const { records } = fold(facts, open, fr);
	const current = records.find((r) => r.signOutAt === null && isCurrent(r, now.getTime(), fr));
	if (!current) return { signedIn: false, since: null, sinceText: null };
	const iso = new Date(current.signInAt).toISOString();
	return { signedIn: true, since: iso, sinceText: timeAndDay(iso, rules.timeZone, now) };
}

/** The one action a tap on the big button means. */
export const actionFor = (shown: ShownStatus): AttendanceKind => (shown.signedIn ? 'sign-out' : 'sign-in');

export interface Notice {
	text: string;
	tone: 'success' | 'info' | 'error';
}

/** What to tell the person about their tap, once the sync has answered (or could not). */
export function tapNotice(kind: AttendanceKind, answer: SyncResult | undefined, timeZone: string, now: Date): Notice {
	if (!answer) return { text: queuedMessages[kind], tone: 'info' };
	if (answer.outcome === 'rejected') return { text: rejectionMessage(kind, answer.reason), tone: 'error' };
	if (answer.outcome === 'no-op' && answer.detail) return { text: noOpMessage(answer.detail, timeZone, now), tone: 'info' };
	return { text: appliedMessages[kind], tone: 'success' };
}

/** A settled entry that changed nothing or was refused, in words. */
export function answeredNotice(entry: OutboxEntry, timeZone: string, now: Date): string {
	const verb = entry.kind === 'sign-in' ? 'Sign-in' : 'Sign-out';
	const when = timeAndDay(entry.clientAt, timeZone, now);
	if (entry.noOp) return `${verb} at ${when} changed nothing: ${noOpMessage(entry.noOp, timeZone, now)}`;
	return `${verb} at ${when}: ${rejectionMessage(entry.kind, entry.rejectedReason)}`;
}

/** "Waiting to sync (2) since 08:12", with the day when the oldest is from another day. */
export function waitingNotice(waiting: readonly OutboxEntry[], timeZone: string, now: Date): string | null {
	if (waiting.length === 0) return null;
	return `Waiting to sync (${waiting.length}) since ${timeAndDay(waiting[0]!.clientAt, timeZone, now)}`;
}

/** "2 actions of Bob wait on this phone until Bob logs in again." for each other person with waiting actions. */
export function othersWaitingNotices(others: readonly OutboxEntry[]): string[] {
	const byUser = new Map<number, { name: string; count: number }>();
	for (const entry of others) {
		const seen = byUser.get(entry.userId) ?? { name: entry.firstName ?? 'another person', count: 0 };
		seen.count += 1;
		byUser.set(entry.userId, seen);
	}
	return [...byUser.values()].map(({ name, count }) => {
		const whose = name === 'another person' ? 'another person' : name;
		return `${countOf(count, 'action')} of ${whose} ${count === 1 ? 'waits' : 'wait'} on this phone until ${whose} logs in again.`;
	});
}
