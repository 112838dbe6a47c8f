/**
 * What a webhook receiver gets: one JSON envelope per change, `{id, type,
 * createdAt, data}`. `id` is stable across retries so a receiver can drop
 * duplicates. Sign-in, sign-out and correction are sent today; the
 * did-not-sign-out and roll-call-mark shapes are fixed here so those
 * features plug in by calling `enqueueWebhookEvent`.
 */
import { randomUUID } from 'node:crypto';
import type { AttendanceEvent, CorrectionEvent } from '../shared/events';

interface Envelope<T extends string, D> {
	id: string;
	type: T;
	/** ISO instant the event was produced on the server. */
	createdAt: string;
	data: D;
}

export interface AttendanceData {
	userId: number;
	firstName: string;
	lastName: string;
	/** When it happened (the device's time for actions synced later). */
	at: string;
	/** The building-local date of the record. */
	date: string;
	source: string;
	/** False for an action queued offline that arrived late. */
	realtime: boolean;
}

export interface CorrectionData {
	recordId: number;
	userId: number;
	date: string;
	before: { signInAt: string; signOutAt: string | null };
	after: { signInAt: string; signOutAt: string | null };
	reason: string;
	correctedBy: number;
}

export interface DidNotSignOutData {
	userId: number;
	firstName: string;
	lastName: string;
	date: string;
	signInAt: string;
}

export interface RollCallMarkData {
	rollCallId: number;
	userId: number;
	status: 'missing' | 'safe' | 'absent';
	markedAt: string;
	markedBy: number | null;
}

export type WebhookEvent =
	| Envelope<'sign-in', AttendanceData>
	| Envelope<'sign-out', AttendanceData>
	| Envelope<'correction', CorrectionData>
	| Envelope<'did-not-sign-out', DidNotSignOutData>
	| Envelope<'roll-call-mark', RollCallMarkData>;

export type WebhookEventType = WebhookEvent['type'];
export type WebhookData<T extends WebhookEventType> = Extract<WebhookEvent, { type: T }>['data'];

export function webhookEvent<T extends WebhookEventType>(type: T, data: WebhookData<T>, now = new Date()): WebhookEvent {
	return { id: randomUUID(), type, createdAt: now.toISOString(), data } as WebhookEvent;
}

export const attendanceData = (event: AttendanceEvent): AttendanceData => ({
	userId: event.userId,
	firstName: event.firstName,
	lastName: event.lastName,
	at: event.at.toISOString(),
	date: event.date,
	source: event.source,
	realtime: event.realtime,
});

export const correctionData = (event: CorrectionEvent): CorrectionData => ({
	recordId: event.recordId,
	userId: event.userId,
	date: event.date,
	before: event.before,
	after: event.after,
	reason: event.reason,
	correctedBy: event.correctedBy,
});
