/**
 * The roll call's rules on a marshal's phone, as plain functions so they can
 * be tested without a browser. The page asks these and decides nothing.
 *
 * What the phone shows merges two sources: the server's snapshot (who is in,
 * the open roll call and its winning marks) and this phone's roll call
 * outbox (starts, marks and ends not yet reflected by a snapshot). A
 * person's status is the latest mark by event time among both, the same rule
 * the server applies, so the phone agrees with the server once both have
 * seen the same marks.
 */
import { localDateIn, localTimeIn } from '$lib/contracts/building-time';
import type { SyncResult } from '$lib/contracts/sync-protocol';
import type { EvacuationSnapshot, Evacuee, RollCallActionInput, RollCallMark, RollCallStatus } from '$lib/contracts/rollcall-protocol';
import type { RollCallOutboxEntry } from './rollcall-types';

/**
 * How often the list is refreshed while a roll call is open and the phone is
 * online: another marshal's mark must show within 2 s (issue 12), and it
 * also has to travel from their phone first. A handful of marshals asking
 * once a second for a few minutes is a small load for the server.
 */
export const OPEN_REFRESH_MS = 1_000;
/** How often otherwise: the list stays ready for the alarm without costing the battery. */
export const IDLE_REFRESH_MS = 60_000;
/** A list older than this is shown as old: the marshal should know it may be out of date. */
export const STALE_AFTER_MS = 2 * 60_000;

export const isWaitingAction = (entry: RollCallOutboxEntry): boolean => entry.confirmedAt === undefined && entry.rejectedReason === undefined;
export const isRefusedAction = (entry: RollCallOutboxEntry): boolean => entry.rejectedReason !== undefined;
const isLive = (entry: RollCallOutboxEntry): boolean => entry.rejectedReason === undefined;

/** The entry after the server's answer; unchanged when the answer is not about it. */
export function answered(entry: RollCallOutboxEntry, result: SyncResult, now: number): RollCallOutboxEntry {
	if (result.id !== entry.id) return entry;
	if (result.outcome === 'rejected') return { ...entry, rejectedReason: result.reason ?? 'rejected' };
	return { ...entry, confirmedAt: now };
}

/**
 * A confirmed action can leave the phone once a snapshot asked for after the
 * confirmation has arrived: that snapshot shows its effect, so dropping it
 * changes nothing on screen.
 */
export const canForget = (entry: RollCallOutboxEntry, snapshotRequestedAt: number): boolean =>
	entry.confirmedAt !== undefined && entry.confirmedAt < snapshotRequestedAt;

/** What travels in `sync.push`: the contract's fields, not the phone's bookkeeping. */
export function toPushAction(entry: RollCallOutboxEntry): RollCallActionInput {
	const { by: _by, confirmedAt: _confirmed, rejectedReason: _rejected, ...action } = entry;
	return action as RollCallActionInput;
}

/** Event order, then id, so every phone orders the same entries the same way. */
export const byEventTime = (a: { clientAt: string; id: string }, b: { clientAt: string; id: string }): number =>
	Date.parse(a.clientAt) - Date.parse(b.clientAt) || a.id.localeCompare(b.id);

export interface OpenRollCall {
	/** The id to send marks and the end under. */
	id: string;
	/** Every id it goes by here: the server's and those of starts this phone queued. */
	ids: string[];
	drill: boolean;
	startedAt: string;
	startedBy: string;
	/** True while the server does not know of it yet (started offline). */
	pending: boolean;
}

/**
 * The roll call open on this phone: the server's open one (joined by any
 * start this phone queued, as the server will join them), or else the ones
 * this phone started, merged into one. One this phone has ended (end queued)
 * is closed already.
 */
export function currentRollCall(snapshot: EvacuationSnapshot | null, entries: readonly RollCallOutboxEntry[]): OpenRollCall | null {
	const live = entries.filter(isLive);
	const ended = new Set(live.filter((e) => e.kind === 'rollcall-end').map((e) => e.rollCallId));
	const starts = live.filter((e): e is Extract<RollCallOutboxEntry, { kind: 'rollcall-start' }> => e.kind === 'rollcall-start').sort(byEventTime);
	const server = snapshot?.rollCall && snapshot.rollCall.endedAt === null ? snapshot.rollCall : null;
	let open: OpenRollCall | null = null;
	if (server) {
		const ids = [...new Set([...server.ids, server.id, ...starts.map((s) => s.rollCallId)])];
		open = { id: server.id, ids, drill: server.drill, startedAt: server.startedAt, startedBy: server.startedBy, pending: false };
	} else if (starts.length > 0) {
		const first = starts[0]!;
		open = { id: first.rollCallId, ids: starts.map((s) => s.rollCallId), drill: first.drill, startedAt: first.clientAt, startedBy: first.by, pending: isWaitingAction(first) };
	}
	if (open && open.ids.some((id) => ended.has(id))) return null;
	return open;
}

/** The roll call that ended lately (the server shows it for an hour), for a link to its report; none while one is open here. */
export function lastEnded(snapshot: EvacuationSnapshot | null, open: OpenRollCall | null, now: Date): { id: string; text: string } | null {
	const call = snapshot?.rollCall;
	if (open || !call || call.endedAt === null) return null;
	return { id: call.id, text: `The last ${call.drill ? 'drill' : 'roll call'} ended at ${shownTime(call.endedAt, snapshot.timeZone, now)}.` };
}

export interface ShownMark {
	/** The mark's action id. */
	id: string;
	status: RollCallStatus;
	/** Event time (ISO). */
	at: string;
	by: string;
	/** True while the mark waits on this phone to reach the server. */
	pending: boolean;
}

/** The server's rule: the later event time wins, a tie goes to the larger mark id, so every phone agrees. */
export const isLaterMark = (a: { at: string; id: string }, b: { at: string; id: string }): boolean =>
	Date.parse(a.at) > Date.parse(b.at) || (Date.parse(a.at) === Date.parse(b.at) && a.id > b.id);

/**
 * Each marked person's status: the latest mark among the server's winning
 * marks and this phone's queued ones for this roll call, by the server's rule.
 */
export function shownMarks(rollCall: OpenRollCall | null, serverMarks: readonly RollCallMark[], entries: readonly RollCallOutboxEntry[]): Map<number, ShownMark> {
	const marks = new Map<number, ShownMark>();
	if (!rollCall) return marks;
	const consider = (userId: number, mark: ShownMark) => {
		const known = marks.get(userId);
		if (!known || isLaterMark(mark, known)) marks.set(userId, mark);
	};
	for (const mark of serverMarks) consider(mark.userId, { id: mark.id, status: mark.status, at: mark.at, by: mark.by, pending: false });
	const ids = new Set(rollCall.ids);
	for (const entry of entries) {
		if (entry.kind !== 'rollcall-mark' || !isLive(entry) || !ids.has(entry.rollCallId)) continue;
		consider(entry.subjectId, { id: entry.id, status: entry.status, at: entry.clientAt, by: entry.by, pending: isWaitingAction(entry) });
	}
	return marks;
}

/** The groups of the list, in the order the page shows them. */
export const shownGroups = ['unaccounted', 'missing', 'uncertain', 'left-recently', 'safe', 'absent'] as const;
export type ShownGroup = (typeof shownGroups)[number];

const groupLabels: Record<ShownGroup, string> = {
	unaccounted: 'In the building',
	missing: 'Missing',
	uncertain: 'Did not sign out',
	'left-recently': 'Signed out in the last 15 minutes',
	safe: 'Safe',
	absent: 'Not in today',
};

/** The group a person is shown in: their mark's, or else where the list put them. */
export function groupOf(person: Evacuee, mark: ShownMark | undefined): ShownGroup {
	if (mark) return mark.status;
	return person.group === 'in' ? 'unaccounted' : person.group;
}

/** Accounted for: marked safe, or marked not in today (the list was wrong about them). */
export const isAccounted = (mark: ShownMark | undefined): boolean => mark?.status === 'safe' || mark?.status === 'absent';

export interface Progress {
	accounted: number;
	total: number;
	/** "34 of 41 accounted for". */
	text: string;
	done: boolean;
}

/** Everyone on the list counts: a person who left recently or did not sign out is accounted for only once someone marks them. */
export function progressOf(people: readonly Evacuee[], marks: ReadonlyMap<number, ShownMark>): Progress {
	const accounted = people.filter((p) => isAccounted(marks.get(p.userId))).length;
	const total = people.length;
	return { accounted, total, text: `${accounted} of ${total} accounted for`, done: total > 0 && accounted === total };
}

/** Lower case without accents, so "zoe" finds "Zoë". */
const folded = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Whether every word of the query is in the person's name. */
export function matchesSearch(person: Pick<Evacuee, 'firstName' | 'lastName'>, query: string): boolean {
	const words = folded(query).split(/\s+/).filter(Boolean);
	const name = folded(`${person.firstName} ${person.lastName}`);
	return words.every((word) => name.includes(word));
}

export interface ShownPerson {
	userId: number;
	name: string;
	location: string | null;
	/** HH:MM in the building's time, or with the date when it was another day. */
	since: string;
	leftAt: string | null;
	/** A `tel:` link, when they have a number. */
	tel: string | null;
	phone: string | null;
	mark: ShownMark | null;
	/** "Safe · Ana 09:44", "Missing · you (waiting to send) 09:45". */
	markText: string | null;
}

export interface ShownList {
	groups: Array<{ group: ShownGroup; label: string; people: ShownPerson[] }>;
	progress: Progress;
	/** How many people the search matched, of all. */
	matched: number;
}

/** A time in the building's zone: HH:MM today, "23 Nov 17:05" another day. */
export function shownTime(iso: string, timeZone: string, now: Date): string {
	const at = new Date(iso);
	const time = localTimeIn(timeZone, at);
	if (localDateIn(timeZone, at) === localDateIn(timeZone, now)) return time;
	const day = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short' }).format(at);
	return `${day} ${time}`;
}

const statusWords: Record<RollCallStatus, string> = { safe: 'Safe', missing: 'Missing', absent: 'Not in today' };

/** A `tel:` link keeps only what a dialler reads. */
export const telLink = (phone: string | null): string | null => (phone ? `tel:${phone.replace(/[^\d+]/g, '')}` : null);

/** The list as the page shows it: grouped, sorted by name, filtered by the search. */
export function shownList(
	snapshot: EvacuationSnapshot,
	rollCall: OpenRollCall | null,
	entries: readonly RollCallOutboxEntry[],
	query: string,
	now: Date,
): ShownList {
	const serverMarks = rollCall && snapshot.rollCall?.id === rollCall.id ? snapshot.rollCall.marks : [];
	const marks = shownMarks(rollCall, serverMarks, entries);
	const zone = snapshot.timeZone;
	const byName = (a: Evacuee, b: Evacuee) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName) || a.userId - b.userId;
	const found = snapshot.people.filter((p) => matchesSearch(p, query)).sort(byName);
	const groups = shownGroups.map((group) => ({ group, label: groupLabels[group], people: [] as ShownPerson[] }));
	for (const person of found) {
		const mark = marks.get(person.userId) ?? null;
		const markText = mark ? `${statusWords[mark.status]} · ${mark.by}${mark.pending ? ' (waiting to send)' : ''} ${shownTime(mark.at, zone, now)}` : null;
		groups[shownGroups.indexOf(groupOf(person, mark ?? undefined))]!.people.push({
			userId: person.userId,
			name: `${person.firstName} ${person.lastName}`,
			location: person.location,
			since: shownTime(person.since, zone, now),
			leftAt: person.leftAt ? shownTime(person.leftAt, zone, now) : null,
			tel: telLink(person.phone),
			phone: person.phone,
			mark,
			markText,
		});
	}
	return { groups: groups.filter((g) => g.people.length > 0), progress: progressOf(snapshot.people, marks), matched: found.length };
}

/** "List from 09:42" (with the day when it is not today); `stale` when it may well be out of date. */
export function listAge(takenAt: string, timeZone: string, now: Date): { text: string; stale: boolean } {
	return { text: `List from ${shownTime(takenAt, timeZone, now)}`, stale: now.getTime() - Date.parse(takenAt) > STALE_AFTER_MS };
}

/** Time since the start: "4:07", "1:02:07". */
export function elapsedText(startedAt: string, now: Date): string {
	const seconds = Math.max(0, Math.floor((now.getTime() - Date.parse(startedAt)) / 1000));
	const h = Math.floor(seconds / 3600);
	const m = Math.floor((seconds % 3600) / 60);
	const s = String(seconds % 60).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The next refresh: every second while a roll call is open and the phone is online, every minute otherwise. */
export const refreshDelay = (rollCallOpen: boolean, online: boolean): number => (rollCallOpen && online ? OPEN_REFRESH_MS : IDLE_REFRESH_MS);

/** A refusal put in words for the marshal. */
export function refusalText(entry: RollCallOutboxEntry): string {
	const what = entry.kind === 'rollcall-start' ? 'Starting the roll call' : entry.kind === 'rollcall-end' ? 'Ending the roll call' : 'A mark';
	return `${what} was refused by the register (${entry.rejectedReason}).`;
}

/** Who and where an action comes from. */
export interface Marshal {
	deviceId: string;
	firstName: string;
}

type Tap = { kind: 'rollcall-start'; drill: boolean } | { kind: 'rollcall-mark'; subjectId: number; status: RollCallStatus } | { kind: 'rollcall-end' };

/** A tap as an outbox entry; a start names a new roll call by a fresh UUID, so it works with no network. */
export function newAction(tap: Tap, rollCallId: string | null, marshal: Marshal, at: Date, makeId: () => string = () => crypto.randomUUID()): RollCallOutboxEntry {
	const id = makeId();
	const base = { id, clientAt: at.toISOString(), deviceId: marshal.deviceId, by: marshal.firstName };
	if (tap.kind === 'rollcall-start') return { ...base, ...tap, rollCallId: makeId() };
	if (rollCallId === null) throw new Error(`${tap.kind} needs an open roll call`);
	return { ...base, ...tap, rollCallId } as RollCallOutboxEntry;
}
