/**
 * The event bus. Listeners run after the action has committed; a listener
 * that throws or rejects is logged and never fails the action.
 *
 * Two kinds of listener, because some effects must happen once and others
 * on every instance:
 * - `on`: events emitted in this process only. For side effects that must
 *   run once per action (a Slack message, a push), wherever it happened.
 * - `onEverywhere`: events from every instance sharing the transport (this
 *   one included). For state each instance keeps (the live view's streams,
 *   the settings cache).
 * With no transport connected (the embedded default) both see the same
 * events. With one (Redis pub/sub, server/integrations/redis), `emit` also
 * publishes the event and other instances' events arrive through `receive`.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { logger } from '../../logger';
import { auditSources, type AuditSource } from '../../db/models/attendance.model';

export interface AttendanceEvent {
	userId: number;
	firstName: string;
	lastName: string;
	at: Date;
	date: string;
	source: AuditSource;
	/** False for an action that arrived late (queued offline): record it, but page nobody about it. */
	realtime: boolean;
}

export interface SettingsChangedEvent {
	keys: string[];
}

/** The list of webhook receivers changed (one added or removed): instances drop their cached list. */
export type WebhooksChangedEvent = Record<string, never>;

/** An admin's correction of a record, after it committed. */
export interface CorrectionEvent {
	recordId: number;
	userId: number;
	date: string;
	before: { signInAt: string; signOutAt: string | null };
	after: { signInAt: string; signOutAt: string | null };
	reason: string;
	correctedBy: number;
	at: Date;
}

export interface EventMap {
	'signed-in': AttendanceEvent;
	'signed-out': AttendanceEvent;
	'settings-changed': SettingsChangedEvent;
	'record-corrected': CorrectionEvent;
	'webhooks-changed': WebhooksChangedEvent;
}

export type EventName = keyof EventMap;

type Listener<K extends EventName> = (event: EventMap[K]) => void | Promise<void>;

const attendanceWire = z.object({
	userId: z.number().int(),
	firstName: z.string(),
	lastName: z.string(),
	at: z.coerce.date(),
	date: z.string(),
	source: z.enum(auditSources),
	realtime: z.boolean(),
});

const times = z.object({ signInAt: z.string(), signOutAt: z.string().nullable() });
const correctionWire = z.object({
	recordId: z.number().int(),
	userId: z.number().int(),
	date: z.string(),
	before: times,
	after: times,
	reason: z.string(),
	correctedBy: z.number().int(),
	at: z.coerce.date(),
});

/** What crosses between instances: the event, its name and the bus that sent it. */
export const wireEnvelope = z.discriminatedUnion('name', [
	z.object({ origin: z.string(), name: z.literal('signed-in'), event: attendanceWire }),
	z.object({ origin: z.string(), name: z.literal('signed-out'), event: attendanceWire }),
	z.object({ origin: z.string(), name: z.literal('settings-changed'), event: z.object({ keys: z.array(z.string()) }) }),
	z.object({ origin: z.string(), name: z.literal('record-corrected'), event: correctionWire }),
	z.object({ origin: z.string(), name: z.literal('webhooks-changed'), event: z.object({}).strict() }),
]);
export type WireEnvelope = z.infer<typeof wireEnvelope>;

/** Carries events between instances. It must never throw into `emit`. */
export interface EventTransport {
	publish(envelope: WireEnvelope): Promise<void>;
	/** Starts delivering every instance's envelopes (raw, parsed by the bus); `resynced` after a lost connection came back. */
	start(receive: (raw: unknown) => void, resynced: () => void): Promise<void>;
	close(): Promise<void>;
}

export class EventBus {
	/** Tells this bus's own envelopes from other instances' when the transport echoes them back. */
	readonly origin = randomUUID();
	private here: { [K in EventName]?: Listener<K>[] } = {};
	private everywhere: { [K in EventName]?: Listener<K>[] } = {};
	private resyncListeners: (() => void)[] = [];
	private transport: EventTransport | undefined;

	/** Events emitted in this process: for effects that must happen once per action. */
	on<K extends EventName>(name: K, listener: Listener<K>): () => void {
		return add(this.here, name, listener);
	}

	/** Events emitted on any instance, this one included: for state every instance keeps. */
	onEverywhere<K extends EventName>(name: K, listener: Listener<K>): () => void {
		return add(this.everywhere, name, listener);
	}

	/** Called when the transport reconnected after an outage: events may have been missed meanwhile. */
	onResync(listener: () => void): () => void {
		this.resyncListeners.push(listener);
		return () => {
			const index = this.resyncListeners.indexOf(listener);
			if (index >= 0) this.resyncListeners.splice(index, 1);
		};
	}

	/** Calls this instance's listeners and publishes to the others; resolves when the local ones have settled, never rejects. */
	async emit<K extends EventName>(name: K, event: EventMap[K]): Promise<void> {
		if (this.transport) {
			const envelope = { origin: this.origin, name, event } as WireEnvelope;
			void this.transport.publish(envelope).catch((error: unknown) => logger().warn({ err: error, event: name }, 'event not published to other instances'));
		}
		await Promise.all([run(this.here, name, event), run(this.everywhere, name, event)]);
	}

	/** Joins the other instances through `transport`; their events reach `onEverywhere` listeners. */
	async connect(transport: EventTransport): Promise<void> {
		this.transport = transport;
		await transport.start(
			(raw) => void this.receive(raw),
			() => this.resyncListeners.forEach((listener) => listener()),
		);
	}

	async disconnect(): Promise<void> {
		const transport = this.transport;
		this.transport = undefined;
		await transport?.close();
	}

	/** An envelope from the transport: parsed, and ignored if it is this bus's own echo. */
	async receive(raw: unknown): Promise<void> {
		const parsed = wireEnvelope.safeParse(raw);
		if (!parsed.success) {
			logger().warn({ issue: parsed.error.issues[0]?.message }, 'ignored a malformed event from another instance');
			return;
		}
		if (parsed.data.origin === this.origin) return;
		const { name, event } = parsed.data;
		await run(this.everywhere, name, event as EventMap[typeof name]);
	}

	clear(): void {
		this.here = {};
		this.everywhere = {};
		this.resyncListeners = [];
	}
}

function add<K extends EventName>(table: { [N in EventName]?: Listener<N>[] }, name: K, listener: Listener<K>): () => void {
	const list = (table[name] ??= []) as Listener<K>[];
	list.push(listener);
	return () => {
		const index = list.indexOf(listener);
		if (index >= 0) list.splice(index, 1);
	};
}

async function run<K extends EventName>(table: { [N in EventName]?: Listener<N>[] }, name: K, event: EventMap[K]): Promise<void> {
	const list = [...((table[name] ?? []) as Listener<K>[])];
	await Promise.all(
		list.map(async (listener) => {
			try {
				await listener(event);
			} catch (error) {
				logger().error({ err: error, event: name, userId: (event as Partial<AttendanceEvent>).userId }, 'event listener failed');
			}
		}),
	);
}

export const events = new EventBus();
