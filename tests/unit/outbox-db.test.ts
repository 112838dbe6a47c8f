import { describe, expect, it } from 'vitest';
import type { IDBPDatabase, OpenDBCallbacks } from 'idb';
import { openRegisterDb, watchDatabase, type DatabaseState, type RegisterDB } from '../../src/lib/client/offline/db';

/** Stands in for idb's openDB: the test decides when the open succeeds and which version events arrive. */
function fakeOpen() {
	let callbacks: OpenDBCallbacks<RegisterDB> | undefined;
	let succeed: (() => void) | undefined;
	const db = { closed: false, close() { this.closed = true; } };
	const open = (_name: string, _version: number, given: OpenDBCallbacks<RegisterDB>) => {
		callbacks = given;
		return new Promise<IDBPDatabase<RegisterDB>>((resolve) => {
			succeed = () => resolve(db as unknown as IDBPDatabase<RegisterDB>);
		});
	};
	const event = {} as IDBVersionChangeEvent;
	return {
		open,
		db,
		succeed: () => succeed!(),
		blocked: () => callbacks!.blocked!(1, 2, event),
		blocking: () => callbacks!.blocking!(1, 2, event),
	};
}

function watched() {
	const states: DatabaseState[] = [];
	const stop = watchDatabase((state) => states.push(state));
	return { states, stop };
}

describe('the outbox database between app versions', () => {
	it('should say an upgrade is waiting while another tab blocks it, and keep waiting rather than fail', async () => {
		const fake = fakeOpen();
		const { states, stop } = watched();
		let opened = false;
		const opening = openRegisterDb(fake.open, 2).then(() => (opened = true));
		fake.blocked();
		await Promise.resolve();
		expect(states).toEqual(['upgrade-waiting']);
		expect(opened).toBe(false);

		fake.succeed(); // the other tab closed
		await opening;
		expect(states).toEqual(['upgrade-waiting', 'open']);
		stop();
	});

	it('should close its connection when a newer version wants to upgrade, and ask for a reload', async () => {
		const fake = fakeOpen();
		const { states, stop } = watched();
		const opening = openRegisterDb(fake.open);
		fake.succeed();
		await opening;
		expect(states).toEqual([]);

		fake.blocking();
		expect(fake.db.closed).toBe(true);
		expect(states).toEqual(['reload-needed']);
		stop();
	});
});
