/**
 * The kiosk during a fire roll call (issue 12): people leaving tap their name
 * or scan their badge and are marked safe. Each mark is a `rollcall-mark`
 * action, kept in the tablet's `kiosk` store until the register has answered
 * it (so a power cut or no network loses none), and sent through the same
 * `sync.push` as the scans. Which person a scan names comes from the roster,
 * as for a sign-in.
 */
import type { KioskRollCall } from '$lib/contracts/kiosk-protocol';
import type { RollCallMarkInput, RollCallStartInput } from '$lib/contracts/rollcall-protocol';
import type { SyncResult } from '$lib/contracts/sync-protocol';
import { registerDb } from '../offline/db';

/** A mark waiting on the tablet, with the name it shows while it waits. */
export interface EvacuationMark extends RollCallMarkInput {
	firstName: string;
}

/** What waits on the tablet: a roll call started here, and people's marks. */
export type EvacuationAction = EvacuationMark | RollCallStartInput;

/** A roll call started at this kiosk (the alarm is ringing): the tablet shows it at once, and the register learns of it when it can. */
export function startAction(drill: boolean, deviceId: string, at: Date): RollCallStartInput {
	return { id: crypto.randomUUID(), kind: 'rollcall-start', clientAt: at.toISOString(), deviceId, rollCallId: crypto.randomUUID(), drill };
}

export function safeMark(rollCall: KioskRollCall, person: { userId: number; firstName: string }, deviceId: string, at: Date): EvacuationMark {
	return { id: crypto.randomUUID(), kind: 'rollcall-mark', clientAt: at.toISOString(), deviceId, rollCallId: rollCall.id, subjectId: person.userId, status: 'safe', firstName: person.firstName };
}

export const toPushAction = (action: EvacuationAction): RollCallMarkInput | RollCallStartInput => {
	if (action.kind === 'rollcall-start') return action;
	const { firstName: _name, ...mark } = action;
	return mark;
};

/** Whom this tablet marked safe in this roll call (waiting or sent). */
export const markedHere = (actions: readonly EvacuationAction[], rollCallId: string) =>
	new Set(actions.flatMap((a) => (a.kind === 'rollcall-mark' && a.rollCallId === rollCallId ? [a.subjectId] : [])));

export async function loadMarks(): Promise<EvacuationAction[]> {
	return ((await (await registerDb()).get('kiosk', 'evacuationMarks')) as EvacuationAction[] | undefined) ?? [];
}

export async function addMark(mark: EvacuationAction): Promise<EvacuationAction[]> {
	const db = await registerDb();
	const tx = db.transaction('kiosk', 'readwrite');
	const marks = [...(((await tx.store.get('evacuationMarks')) as EvacuationAction[] | undefined) ?? []), mark];
	await Promise.all([tx.store.put(marks, 'evacuationMarks'), tx.done]);
	return marks;
}

/** Forgets the marks the register answered (applied, duplicate, or refused: a refusal will not change on a resend). */
export async function settleMarks(results: readonly SyncResult[]): Promise<EvacuationAction[]> {
	const answered = new Set(results.map((r) => r.id));
	const db = await registerDb();
	const tx = db.transaction('kiosk', 'readwrite');
	const marks = (((await tx.store.get('evacuationMarks')) as EvacuationAction[] | undefined) ?? []).filter((m) => !answered.has(m.id));
	await Promise.all([tx.store.put(marks, 'evacuationMarks'), tx.done]);
	return marks;
}
