/**
 * The IndexedDB database behind the outbox. Upgrades are incremental by
 * version and never drop the outbox store: a queued action must survive
 * every app update.
 *
 * Two tabs of different app versions meet here. A tab holding an older
 * version closes its connection as soon as a newer version asks to upgrade
 * (it would otherwise block that upgrade forever) and says "reload"; a newer
 * version whose upgrade is blocked by a tab that cannot close keeps waiting
 * and says why. Pages follow this through `watchDatabase`.
 */
import { openDB, type DBSchema, type IDBPDatabase, type OpenDBCallbacks } from 'idb';
import type { NoOpDetail } from '$lib/contracts/attendance-messages';
import type { SyncActionInput } from '$lib/contracts/sync-protocol';
import type { KioskOutboxEntry, KioskStateValues } from '$lib/client/kiosk/kiosk-types';
import type { PlaceClaim } from '$lib/contracts/kiosk-protocol';
import type { RollCallOutboxEntry, RollCallStateValues } from '$lib/client/rollcall/rollcall-types';

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
	/** Where it was tapped: a poster's location or a kiosk's presence code (issue 9). */
	place?: PlaceClaim;
}

export interface RegisterDB extends DBSchema {
	outbox: { key: string; value: OutboxEntry; indexes: { 'by-user': number } };
	meta: { key: string; value: string | number };
	/** A reception tablet's scans (issue 9): a store of their own, so the staff page's outbox rules never see them. */
	kioskOutbox: { key: string; value: KioskOutboxEntry };
	/** A reception tablet's pairing, roster snapshot and scan sequence, by name. */
	kiosk: { key: keyof KioskStateValues; value: KioskStateValues[keyof KioskStateValues] };
	/** A marshal's roll call actions (issue 12): apart from the staff outbox, whose rules are about sign-ins. */
	rollcallOutbox: { key: string; value: RollCallOutboxEntry };
	/** The evacuation snapshot and the roll call this phone started, by name. */
	rollcall: { key: keyof RollCallStateValues; value: RollCallStateValues[keyof RollCallStateValues] };
}

export const DB_NAME = 'building-register';
/** 1: outbox and meta (issue 4). 2: the kiosk's stores (issue 9). 3: the roll call's stores (issue 12). */
const DB_VERSION = 3;

/**
 * `open`: usable. `upgrade-waiting`: this version's upgrade waits for another
 * tab to close. `reload-needed`: a newer version took over; this tab must reload.
 */
export type DatabaseState = 'open' | 'upgrade-waiting' | 'reload-needed';

const watchers = new Set<(state: DatabaseState) => void>();

/** Calls `watcher` whenever the database's state changes; returns a function that stops it. */
export function watchDatabase(watcher: (state: DatabaseState) => void): () => void {
	watchers.add(watcher);
	return () => watchers.delete(watcher);
}

function announce(state: DatabaseState): void {
	for (const watcher of watchers) watcher(state);
}

let opening: Promise<IDBPDatabase<RegisterDB>> | undefined;

export function registerDb(): Promise<IDBPDatabase<RegisterDB>> {
	opening ??= openRegisterDb().catch((error: unknown) => {
		opening = undefined; // the next call tries again instead of repeating the failure
		throw error;
	});
	return opening;
}

type Open = (name: string, version: number, callbacks: OpenDBCallbacks<RegisterDB>) => Promise<IDBPDatabase<RegisterDB>>;

/** Opens the database at `version`; `open` is idb's openDB, replaced in unit tests. */
export async function openRegisterDb(open: Open = openDB<RegisterDB>, version = DB_VERSION): Promise<IDBPDatabase<RegisterDB>> {
	let waited = false;
	const db: IDBPDatabase<RegisterDB> = await open(DB_NAME, version, {
		upgrade(db, oldVersion) {
			if (oldVersion < 1) {
				const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
				outbox.createIndex('by-user', 'userId');
				db.createObjectStore('meta');
			}
			// Additive only: a phone upgrading from version 1 keeps its outbox untouched.
			if (oldVersion < 2) {
				db.createObjectStore('kioskOutbox', { keyPath: 'id' });
				db.createObjectStore('kiosk');
			}
			if (oldVersion < 3) {
				db.createObjectStore('rollcallOutbox', { keyPath: 'id' });
				db.createObjectStore('rollcall');
			}
		},
		blocked() {
			waited = true;
			announce('upgrade-waiting');
		},
		blocking() {
			db.close();
			opening = undefined;
			announce('reload-needed');
		},
		terminated() {
			opening = undefined; // the browser closed it (storage cleared, say): open afresh next time
		},
	});
	if (waited) announce('open');
	return db;
}
