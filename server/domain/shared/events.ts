/**
 * The in-process event bus. Listeners run after the action has committed; a
 * listener that throws or rejects is logged and never fails the action.
 */
import { logger } from '../../logger';
import type { AuditSource } from '../../db/models/attendance.model';

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

export interface EventMap {
	'signed-in': AttendanceEvent;
	'signed-out': AttendanceEvent;
}

type Listener<K extends keyof EventMap> = (event: EventMap[K]) => void | Promise<void>;

export class EventBus {
	private listeners: { [K in keyof EventMap]?: Listener<K>[] } = {};

	on<K extends keyof EventMap>(name: K, listener: Listener<K>): () => void {
		const list = (this.listeners[name] ??= []) as Listener<K>[];
		list.push(listener);
		return () => {
			const index = list.indexOf(listener);
			if (index >= 0) list.splice(index, 1);
		};
	}

	/** Calls every listener; resolves when all have settled, never rejects. */
	async emit<K extends keyof EventMap>(name: K, event: EventMap[K]): Promise<void> {
		const list = [...((this.listeners[name] ?? []) as Listener<K>[])];
		await Promise.all(
			list.map(async (listener) => {
				try {
					await listener(event);
				} catch (error) {
					logger().error({ err: error, event: name, userId: event.userId }, 'event listener failed');
				}
			}),
		);
	}

	clear(): void {
		this.listeners = {};
	}
}

export const events = new EventBus();
