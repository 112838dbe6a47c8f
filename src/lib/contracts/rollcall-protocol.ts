/**
 * The fire roll call (issue 12) as a marshal's phone and the server both
 * speak it: types and constants only, no zod, so the marshal page stays small
 * (the server's schemas are in `rollcall.ts`).
 *
 * A roll call and its marks are outbox actions sent through `sync.push`, so
 * they work with no network and merge across marshals:
 * - `rollcall-start` names the roll call by a UUID the phone makes. If
 *   another roll call is already open on the server, the new one joins it
 *   (two marshals who started offline end up in one roll call); its id
 *   becomes another name of the open one.
 * - `rollcall-mark` marks one person; the latest mark by event time
 *   (`clientAt`, clamped like every action's time) wins, and every mark is
 *   kept in the history.
 * - `rollcall-end` ends it.
 * Only marshals and admins may send them (and the kiosk may start one).
 */

/** `absent`: "not in today" (the list was wrong about them). */
export const rollCallStatuses = ['safe', 'missing', 'absent'] as const;
export type RollCallStatus = (typeof rollCallStatuses)[number];

export const rollCallActionKinds = ['rollcall-start', 'rollcall-mark', 'rollcall-end'] as const;
export type RollCallActionKind = (typeof rollCallActionKinds)[number];

interface RollCallActionBase {
	/** Client-generated UUID: the idempotency key. */
	id: string;
	/** When the marshal tapped, by the phone's clock, ISO 8601. */
	clientAt: string;
	deviceId: string;
	/** The roll call's UUID, made by the phone that started it. */
	rollCallId: string;
}

export interface RollCallStartInput extends RollCallActionBase {
	kind: 'rollcall-start';
	/** A drill is kept apart from a real evacuation in every report. */
	drill: boolean;
}

export interface RollCallMarkInput extends RollCallActionBase {
	kind: 'rollcall-mark';
	/** The person marked. */
	subjectId: number;
	status: RollCallStatus;
}

export interface RollCallEndInput extends RollCallActionBase {
	kind: 'rollcall-end';
}

export type RollCallActionInput = RollCallStartInput | RollCallMarkInput | RollCallEndInput;

/**
 * Which group a person is in on the evacuation list, before any mark:
 * - `in`: signed in now (today);
 * - `left-recently`: signed out in the last 15 minutes (may still be near);
 * - `uncertain`: still open from an earlier day ("did not sign out").
 */
export type EvacueeGroup = 'in' | 'left-recently' | 'uncertain';

/** How long after a sign-out a person is still listed (they may still be near the building). */
export const LEFT_RECENTLY_MS = 15 * 60_000;

export interface Evacuee {
	userId: number;
	firstName: string;
	lastName: string;
	/** A number to call, when the person has one. */
	phone: string | null;
	/** Where they came in. */
	location: string | null;
	/** When they came in (ISO). */
	since: string;
	/** For `left-recently`: when they left (ISO). */
	leftAt: string | null;
	group: EvacueeGroup;
}

export interface RollCallMark {
	/** The mark's action id. */
	id: string;
	userId: number;
	status: RollCallStatus;
	/** Event time (ISO). */
	at: string;
	/** Who marked: a marshal's first name, or "self-report". */
	by: string;
	byUserId: number | null;
}

export interface RollCallState {
	/** The roll call's UUID (the first start's). */
	id: string;
	/** Every id it goes by: the ids of starts that joined it. */
	ids: string[];
	drill: boolean;
	startedAt: string;
	startedBy: string;
	endedAt: string | null;
	/** The winning mark of each person marked (latest by event time). */
	marks: RollCallMark[];
}

/** What a marshal's phone keeps: who is in, and the open roll call if there is one. */
export interface EvacuationSnapshot {
	/** When the server took it (ISO): the phone shows "list from 09:42". */
	takenAt: string;
	/** The building's time zone, for showing times. */
	timeZone: string;
	people: Evacuee[];
	rollCall: RollCallState | null;
}

/** A roll call's printable report. */
export interface RollCallReport {
	rollCall: RollCallState;
	/** Everyone on the list when it started (the snapshot the server had), with their final status. */
	people: Array<Evacuee & { status: RollCallStatus | 'unaccounted'; markedAt: string | null; markedBy: string | null }>;
	/** Every mark, in event order, superseded ones included. */
	history: RollCallMark[];
	/** From the start to the mark that accounted for the last person; null while someone is unaccounted. */
	accountedForInMs: number | null;
}
