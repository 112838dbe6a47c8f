/**
 * The SQLite writer's connection, synchronous: better-sqlite3 behind the part
 * of node-sqlite3's `Database` that Sequelize and the single writer use
 * (`serialize`, `run`, `all`, `get`, `close`), each call answered before it
 * returns.
 *
 * Why: on node-sqlite3 every statement runs in a libuv thread and its answer
 * waits for its turn on the event loop, behind every other request's work.
 * A sign-in is seven statements in one transaction, and SQLite has one
 * writer, so under load the writer spent most of its time waiting for turns
 * (about 0.3 of what a bare loop writes). Answered at once, a transaction's
 * statements follow each other in microtasks, and the writer is bounded by
 * SQLite itself. Reads outside transactions stay on node-sqlite3's
 * connections, in threads, so a long report never holds the event loop.
 *
 * What node-sqlite3 callers rely on is kept: errors read "SQLITE_BUSY: …"
 * with the primary result code (Sequelize maps codes and retries by
 * message), booleans and Dates bind as numbers, `$name` keys bind named
 * parameters, and `run` reports `lastID` and `changes` on `this`.
 */
import Database from 'better-sqlite3';

type Row = Record<string, unknown>;
type Params = unknown[] | Record<string, unknown>;
type RunCallback = (this: { lastID: number; changes: number }, error: Error | null) => void;
type RowsCallback = (error: Error | null, rows?: Row[]) => void;
type RowCallback = (error: Error | null, row?: Row) => void;

/** Prepared statements kept for reuse: hot paths repeat the same few texts. */
const STATEMENT_CACHE_SIZE = 200;
/** How long a statement waits for a lock held by another connection (the rate limiter's) before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/** A node-sqlite3 style error: primary code, "CODE: message", so Sequelize's error mapping and retry match. */
function asSqlite3Error(error: unknown): Error {
	if (!(error instanceof Database.SqliteError)) return error instanceof Error ? error : new Error(String(error));
	const primary = /^SQLITE_[A-Z]+/.exec(error.code)?.[0] ?? error.code;
	return Object.assign(new Error(`${primary}: ${error.message}`), { code: primary, extendedCode: error.code });
}

function bindable(value: unknown): unknown {
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (value instanceof Date) return value.getTime();
	if (value === undefined) return null;
	return value;
}

/** node-sqlite3 takes `{ $id: 1 }`; better-sqlite3 takes `{ id: 1 }` for any of `$id`, `:id` and `@id`. */
function bindings(params: Params | undefined): unknown[] {
	if (params === undefined) return [];
	if (Array.isArray(params)) return params.map(bindable);
	const named: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(params)) named[key.replace(/^[$:@]/, '')] = bindable(value);
	return [named];
}

/** node-sqlite3's optional-parameters call shape: (sql, cb), (sql, params, cb) or (sql, ...values, cb). */
function callShape<C>(args: unknown[]): { params: Params | undefined; callback: C | undefined } {
	const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as C) : undefined;
	if (args.length === 0) return { params: undefined, callback };
	if (args.length === 1 && (Array.isArray(args[0]) || (typeof args[0] === 'object' && args[0] !== null && !(args[0] instanceof Date) && !Buffer.isBuffer(args[0])))) {
		return { params: args[0] as Params, callback };
	}
	return { params: args, callback };
}

export class SyncSqliteConnection {
	/** Sequelize's connection manager reads and sets these on node-sqlite3 connections. */
	readonly filename: string;
	uuid?: string;
	private readonly db: Database.Database;
	private readonly statements = new Map<string, Database.Statement>();

	constructor(filename: string) {
		this.filename = filename;
		this.db = new Database(filename, { timeout: BUSY_TIMEOUT_MS });
	}

	/** node-sqlite3 queues statements in order inside; here every call is in order already. */
	serialize(callback?: () => void): void {
		callback?.();
	}

	run(sql: string, ...args: unknown[]): this {
		const { params, callback } = callShape<RunCallback>(args);
		let result = { lastID: 0, changes: 0 };
		let failure: Error | null = null;
		try {
			const statement = this.prepare(sql);
			if (statement.reader) statement.all(...bindings(params));
			else {
				const info = statement.run(...bindings(params));
				result = { lastID: Number(info.lastInsertRowid), changes: info.changes };
			}
		} catch (error) {
			failure = asSqlite3Error(error);
		}
		callback?.call(result, failure);
		return this;
	}

	all(sql: string, ...args: unknown[]): this {
		const { params, callback } = callShape<RowsCallback>(args);
		let rows: Row[] = [];
		let failure: Error | null = null;
		try {
			const statement = this.prepare(sql);
			if (statement.reader) rows = statement.all(...bindings(params)) as Row[];
			else statement.run(...bindings(params));
		} catch (error) {
			failure = asSqlite3Error(error);
		}
		callback?.(failure, failure ? undefined : rows);
		return this;
	}

	get(sql: string, ...args: unknown[]): this {
		const { params, callback } = callShape<RowCallback>(args);
		let row: Row | undefined;
		let failure: Error | null = null;
		try {
			const statement = this.prepare(sql);
			if (statement.reader) row = statement.get(...bindings(params)) as Row | undefined;
			else statement.run(...bindings(params));
		} catch (error) {
			failure = asSqlite3Error(error);
		}
		callback?.(failure, row);
		return this;
	}

	close(callback?: (error: Error | null) => void): void {
		this.statements.clear();
		try {
			this.db.close();
			callback?.(null);
		} catch (error) {
			callback?.(asSqlite3Error(error));
		}
	}

	private prepare(sql: string): Database.Statement {
		const cached = this.statements.get(sql);
		if (cached) return cached;
		const statement = this.db.prepare(sql);
		if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
		this.statements.set(sql, statement);
		return statement;
	}
}
