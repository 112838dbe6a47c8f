import { describe, expect, it } from 'vitest';
import type { IDBPDatabase, OpenDBCallbacks } from 'idb';
import { openRegisterDb, type RegisterDB } from '../../src/lib/client/offline/db';

/** Runs the database's upgrade from `oldVersion` against a stand-in that records which stores it creates. */
async function upgradeFrom(oldVersion: number): Promise<string[]> {
	const created: string[] = [];
	const db = {
		createObjectStore(name: string) {
			created.push(name);
			return { createIndex: () => undefined };
		},
	};
	const open = async (_name: string, _version: number, callbacks: OpenDBCallbacks<RegisterDB>) => {
		callbacks.upgrade!(db as unknown as IDBPDatabase<RegisterDB>, oldVersion, 3, {} as never, {} as never);
		return db as unknown as IDBPDatabase<RegisterDB>;
	};
	await openRegisterDb(open);
	return created;
}

describe('the register database gaining the kiosk and roll call stores', () => {
	it("should add the kiosk's and the roll call's stores to a phone's version 1 database without touching its outbox", async () => {
		expect(await upgradeFrom(1)).toEqual(['kioskOutbox', 'kiosk', 'rollcallOutbox', 'rollcall']);
	});

	it("should add only the roll call's stores to a version 2 database, keeping the outbox and the kiosk's queue", async () => {
		expect(await upgradeFrom(2)).toEqual(['rollcallOutbox', 'rollcall']);
	});

	it('should create every store on a new device', async () => {
		expect(await upgradeFrom(0)).toEqual(['outbox', 'meta', 'kioskOutbox', 'kiosk', 'rollcallOutbox', 'rollcall']);
	});
});
