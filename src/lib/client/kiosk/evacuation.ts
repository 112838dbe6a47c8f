/**
 * The kiosk during a fire roll call (issue 12): people leaving tap their name
 * or scan their badge and are marked safe. Each mark is a `rollcall-mark`
 * action, kept in the tablet's `kiosk` store until the register has answered
 * it (so a power cut or no network loses none), and sent through the same
 * `sync.push` as the scans. Which person a scan names comes from the roster,
 * as for a sign-in.
 */
import type { KioskRollCall } from '$lib/contracts/kiosk-protocol';
import type { RollCallMarkInput } from '$lib/contracts/rollcall-protocol';
import type { SyncResult } from '$lib/contracts/sync-protocol';
import { registerDb } from '../offline/db';

/** A mark waiting on the tablet, with the name it shows while it waits. */
export interface EvacuationMark extends RollCallMarkInput {
	firstName: string;
}

export function safeMark(rollCall: KioskRollCall, person: { userId: number; firstName: string }, deviceId: string, at: Date): EvacuationMark {
	return { id: crypto.randomUUID(), kind: 'rollcall-mark', clientAt: at.toISOString(), deviceId, rollCallId: rollCall.id, subjectId: person.userId, status: 'safe', firstName: person.firstName };
}

export const toMarkAction = ({ firstName: _name, ...action }: EvacuationMark): RollCallMarkInput => action;

/** Whom this tablet marked safe in this roll call (waiting or sent). */
export const markedHere = (marks: readonly EvacuationMark[], rollCallId: string) => new Set(marks.filter((m) => m.rollCallId === rollCallId).map((m) => m.subjectId));

export async function loadMarks(): Promise<EvacuationMark[]> {
	return ((await (await registerDb()).get('kiosk', 'evacuationMarks')) as EvacuationMark[] | undefined) ?? [];
}

export async function addMark(mark: EvacuationMark): Promise<EvacuationMark[]> {
	const db = await registerDb();
	const tx = db.transaction('kiosk', 'readwrite');
	const marks = [...(((await tx.store.get('evacuationMarks')) as EvacuationMark[] | undefined) ?? []), mark];
	await Promise.all([tx.store.put(marks, 'evacuationMarks'), tx.done]);
	return marks;
}

/** Forgets the marks the register answered (applied, duplicate, or refused: a refusal will not change on a resend). */
export async function settleMarks(results: readonly SyncResult[]): Promise<EvacuationMark[]> {
	const answered = new Set(results.map((r) => r.id));
	const db = await registerDb();
	const tx = db.transaction('kiosk', 'readwrite');
	const marks = (((await tx.store.get('evacuationMarks')) as EvacuationMark[] | undefined) ?? []).filter((m) => !answered.has(m.id));
	await Promise.all([tx.store.put(marks, 'evacuationMarks'), tx.done]);
	return marks;
}
