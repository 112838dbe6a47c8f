/**
 * Every SQLite connection of the process, synchronous: better-sqlite3 behind
 * the part of node-sqlite3's `Database` that Sequelize and the single writer
 * use (`serialize`, `run`, `all`, `get`, `close`), each call answered before
 * it returns. Sequelize opens its connections through `sqlite3Compatible`.
 *
 * Why one driver: node-sqlite3 and better-sqlite3 each carry their own copy
 * of SQLite, and two copies in one process do not see each other's locks
 * (POSIX locks belong to the process, and each copy keeps its own record of
 * what the process holds). A rate-limit counter committed through
 * node-sqlite3 beside the writer's transactions wrote over their WAL frames:
 * answered sign-ins and logins vanished (docs/decisions.md, "Lost writes").
 *
 * Why synchronous: on node-sqlite3 every statement runs in a libuv thread and
 * its answer waits for its turn on the event loop, behind every other
 * request's work. A sign-in is seven statements in one transaction, and
 * SQLite has one writer, so under load the writer spent most of its time
 * waiting for turns (about 0.3 of what a bare loop writes). Answered at
 * once, a transaction's statements follow each other in microtasks, and the
 * writer is bounded by SQLite itself.
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

/** node-sqlite3's open flags (the values its module exports), read by Sequelize's connection manager. */
const OPEN_READONLY = 0x1;
const OPEN_READWRITE = 0x2;
const OPEN_CREATE = 0x4;

/** Prepared statements kept for reuse: hot paths repeat the same few texts. */
const STATEMENT_CACHE_SIZE = 200;
/** How long a statement waits for a lock held by another process (a CLI command, a second instance) before SQLITE_BUSY. */
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

	/** Opens at once and throws on failure; `sqlite3Compatible.Database` answers a callback instead, as node-sqlite3 does. */
	constructor(filename: string, mode: number = OPEN_READWRITE | OPEN_CREATE) {
		this.filename = filename;
		this.db = new Database(filename, { timeout: BUSY_TIMEOUT_MS, readonly: (mode & OPEN_READWRITE) === 0, fileMustExist: (mode & OPEN_CREATE) === 0 });
	}

	/** The better-sqlite3 handle, for a library that speaks it (the rate limiter, on the writer). */
	get driver(): Database.Database {
		return this.db;
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

/** Opens a connection the way node-sqlite3's constructor does: the outcome goes to the callback, on a later tick. */
function openLikeSqlite3(filename: string, modeOrCallback?: number | ((error: Error | null) => void), callback?: (error: Error | null) => void): SyncSqliteConnection {
	const mode = typeof modeOrCallback === 'number' ? modeOrCallback : undefined;
	const done = typeof modeOrCallback === 'function' ? modeOrCallback : callback;
	try {
		const connection = new SyncSqliteConnection(filename, mode);
		// Sequelize stores the new connection before it reads it in the callback: answer later, never inside `new`.
		if (done) queueMicrotask(() => done.call(connection, null));
		return connection;
	} catch (error) {
		if (!done) throw error;
		queueMicrotask(() => done(asSqlite3Error(error)));
		return Object.create(SyncSqliteConnection.prototype) as SyncSqliteConnection;
	}
}

/**
 * node-sqlite3's module shape (`Database` and the open flags), given to
 * Sequelize as its `dialectModule`, so every connection it opens is one of
 * ours, on the one copy of SQLite in the process.
 */
export const sqlite3Compatible = {
	OPEN_READONLY,
	OPEN_READWRITE,
	OPEN_CREATE,
	Database: function Database(filename: string, modeOrCallback?: number | ((error: Error | null) => void), callback?: (error: Error | null) => void) {
		return openLikeSqlite3(filename, modeOrCallback, callback);
	} as unknown as new (filename: string, mode?: number, callback?: (error: Error | null) => void) => SyncSqliteConnection,
};
