/**
 * The IndexedDB database behind the outbox. Upgrades are incremental by
 * version and never drop the outbox store: a queued action must survive
 * every app update.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { NoOpDetail } from '$lib/contracts/attendance-messages';
import type { SyncActionInput } from '$lib/contracts/sync-protocol';

export interface OutboxEntry extends Required<Pick<SyncActionInput, 'id' | 'kind' | 'clientAt' | 'deviceId'>> {
	userId: number;
	/** Who tapped, so the page can say whose actions wait for a login (absent on entries from before). */
	firstName?: string;
	/** This device's sequence number (absent on entries queued before there was one). */
	seq?: number;
	/** Set when the server refused the action; kept so the person sees why. */
	rejectedReason?: string;
	/** Set when the action changed nothing (already signed out on another device, say); kept until seen. */
	noOp?: NoOpDetail;
}

export interface RegisterDB extends DBSchema {
	outbox: { key: string; value: OutboxEntry; indexes: { 'by-user': number } };
	meta: { key: string; value: string | number };
}

export const DB_NAME = 'building-register';
const DB_VERSION = 1;

let opening: Promise<IDBPDatabase<RegisterDB>> | undefined;

export function registerDb(): Promise<IDBPDatabase<RegisterDB>> {
	opening ??= openDB<RegisterDB>(DB_NAME, DB_VERSION, {
		upgrade(db, oldVersion) {
			if (oldVersion < 1) {
				const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
				outbox.createIndex('by-user', 'userId');
				db.createObjectStore('meta');
			}
		},
	});
	return opening;
}
