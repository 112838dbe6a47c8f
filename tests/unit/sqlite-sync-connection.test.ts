/**
 * The writer's synchronous connection stands in for node-sqlite3's Database:
 * the same calls on both, against one file, must answer the same (rows,
 * lastID and changes, errors with their codes and messages as Sequelize
 * reads them), and answer before the call returns. Opened as Sequelize opens
 * node-sqlite3's, it answers the way that constructor does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlite3Compatible, SyncSqliteConnection } from '../../server/db/sqlite-sync-connection';

type Answer = { error: { code?: string; message: string } | null; rows?: unknown; lastID?: number; changes?: number };
type Connection = {
	run(sql: string, params: unknown, cb: (this: { lastID: number; changes: number }, error: Error | null) => void): unknown;
	all(sql: string, params: unknown, cb: (error: Error | null, rows?: unknown[]) => void): unknown;
	get(sql: string, params: unknown, cb: (error: Error | null, row?: unknown) => void): unknown;
};

const dir = mkdtempSync(path.join(tmpdir(), 'sync-sqlite-'));
let reference: sqlite3.Database;
let sync: SyncSqliteConnection;

const shown = (error: Error | null) => (error ? { code: (error as { code?: string }).code, message: error.message } : null);

function run(connection: Connection, sql: string, params: unknown = []): Promise<Answer> {
	return new Promise((resolve) =>
		connection.run(sql, params, function (error) {
			resolve({ error: shown(error), lastID: error ? undefined : this.lastID, changes: error ? undefined : this.changes });
		}),
	);
}
const all = (connection: Connection, sql: string, params: unknown = []) =>
	new Promise<Answer>((resolve) => connection.all(sql, params, (error, rows) => resolve({ error: shown(error), rows })));
const get = (connection: Connection, sql: string, params: unknown = []) =>
	new Promise<Answer>((resolve) => connection.get(sql, params, (error, row) => resolve({ error: shown(error), rows: row })));

/** Runs one call on node-sqlite3 and on the synchronous connection, each against a table of its own (named T in messages). */
async function both(call: (c: Connection, table: string) => Promise<Answer>): Promise<[Answer, Answer]> {
	const on = async (connection: unknown, table: string) => {
		const answer = await call(connection as Connection, table);
		return answer.error ? { ...answer, error: { ...answer.error, message: answer.error.message.replaceAll(`${table}.`, 'T.') } } : answer;
	};
	return [await on(reference, 'ref'), await on(sync, 'syn')];
}

beforeAll(async () => {
	// A file each: two copies of SQLite in one process must never share one (server/db/sqlite-sync-connection.ts).
	reference = await new Promise((resolve, reject) => {
		const db: sqlite3.Database = new sqlite3.Database(path.join(dir, 'reference.sqlite'), (error) => (error ? reject(error) : resolve(db)));
	});
	sync = new SyncSqliteConnection(path.join(dir, 'sync.sqlite'));
	for (const [connection, table] of [[reference, 'ref'], [sync, 'syn']] as const) {
		await run(connection as unknown as Connection, `CREATE TABLE ${table} (id INTEGER PRIMARY KEY, name TEXT UNIQUE, flag INTEGER, at NUMERIC, CHECK (length(name) < 20))`);
	}
});
afterAll(async () => {
	sync.close();
	await new Promise((resolve) => reference.close(resolve));
	rmSync(dir, { recursive: true, force: true });
});

describe('the synchronous SQLite connection', () => {
	it('inserts with named and positional parameters, binding booleans and Dates as node-sqlite3 does, with lastID and changes', async () => {
		const at = new Date('2026-03-10T09:00:00Z');
		const named = await both((c, t) => run(c, `INSERT INTO ${t} (name, flag, at) VALUES ($1, $2, $3)`, { $1: 'ann', $2: true, $3: at }));
		expect(named[1]).toEqual(named[0]);
		expect(named[1]).toEqual({ error: null, lastID: 1, changes: 1 });
		const positional = await both((c, t) => run(c, `INSERT INTO ${t} (name, flag, at) VALUES (?, ?, ?)`, ['bob', false, null]));
		expect(positional[1]).toEqual(positional[0]);
		const updated = await both((c, t) => run(c, `UPDATE ${t} SET flag = 1`));
		expect(updated[1]).toEqual({ error: null, lastID: expect.any(Number), changes: 2 });
		expect(updated[1].changes).toBe(updated[0].changes);

		const rows = await both((c, t) => all(c, `SELECT id, name, flag, at FROM ${t} ORDER BY id`));
		expect(rows[1]).toEqual(rows[0]);
		expect(rows[1].rows).toEqual([
			{ id: 1, name: 'ann', flag: 1, at: at.getTime() },
			{ id: 2, name: 'bob', flag: 1, at: null },
		]);
		const one = await both((c, t) => get(c, `SELECT name FROM ${t} WHERE id = $id`, { $id: 2 }));
		expect(one[1]).toEqual(one[0]);
		expect(one[1].rows).toEqual({ name: 'bob' });
	});

	it('answers statements that return no rows through all(), as Sequelize sends BEGIN and PRAGMA', async () => {
		const answers = await both((c) => all(c, 'PRAGMA foreign_keys = ON'));
		expect(answers[1]).toEqual(answers[0]);
		expect(answers[1].error).toBeNull();
	});

	it('fails as node-sqlite3 fails: the primary code, and the message Sequelize parses for the column', async () => {
		const unique = await both((c, t) => run(c, `INSERT INTO ${t} (name) VALUES ('ann')`));
		expect(unique[1].error).toEqual(unique[0].error);
		expect(unique[1].error).toEqual({ code: 'SQLITE_CONSTRAINT', message: expect.stringMatching(/^SQLITE_CONSTRAINT: UNIQUE constraint failed: T\.name$/) });
		const check = await both((c, t) => run(c, `INSERT INTO ${t} (name) VALUES ('a name far longer than twenty')`));
		expect(check[1].error?.code).toBe(check[0].error?.code);
		const syntax = await both((c, t) => all(c, `SELEC * FROM ${t}`));
		expect(syntax[1].error).toEqual(syntax[0].error);
		expect(syntax[1].error?.code).toBe('SQLITE_ERROR');
	});

	it('answers before the call returns, so a transaction never waits for the event loop between statements', () => {
		const seen: string[] = [];
		sync.all('SELECT 1 AS one', (error: Error | null, rows?: unknown[]) => seen.push(`${error}:${JSON.stringify(rows)}`));
		expect(seen).toEqual(['null:[{"one":1}]']);
	});

	it('opens as node-sqlite3 opens for Sequelize: the callback on a later tick, a failure to it and not thrown', async () => {
		const order: string[] = [];
		const opened = await new Promise<SyncSqliteConnection>((resolve, reject) => {
			const connection = new sqlite3Compatible.Database(path.join(dir, 'opened.sqlite'), sqlite3Compatible.OPEN_READWRITE | sqlite3Compatible.OPEN_CREATE, (error) => {
				order.push('callback');
				if (error) reject(error);
				else resolve(connection);
			});
			order.push('constructed');
		});
		expect(order).toEqual(['constructed', 'callback']);
		expect(opened).toBeInstanceOf(SyncSqliteConnection);
		opened.close();

		const failure = await new Promise<Error | null>((resolve) => {
			// Without OPEN_CREATE a missing file is an error, as on node-sqlite3.
			new sqlite3Compatible.Database(path.join(dir, 'missing.sqlite'), sqlite3Compatible.OPEN_READWRITE, resolve);
		});
		expect(failure).toMatchObject({ code: 'SQLITE_CANTOPEN', message: expect.stringMatching(/^SQLITE_CANTOPEN: /) });
	});
});
