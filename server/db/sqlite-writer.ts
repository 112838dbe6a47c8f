/**
 * SQLite has one writer; this gives it one in the process.
 *
 * Left to itself, Sequelize opens a new sqlite3 connection for every
 * transaction, and each `BEGIN IMMEDIATE` that finds the lock taken waits for
 * the busy timeout *inside a libuv thread*. With eight or more concurrent
 * writers every thread of the pool (four by default) is parked in such a
 * wait, the transaction that holds the lock cannot get a thread for its next
 * statement, and everyone waits a full second and fails with SQLITE_BUSY.
 *
 * So, on SQLite:
 * - every transaction runs on one long-lived writer connection, one at a
 *   time, queued in an in-process mutex (no waiting inside the pool);
 * - a write outside a transaction (a session touch, a rate-limit counter)
 *   joins the same queue, on the same connection, so nothing else ever
 *   competes for the lock;
 * - reads outside transactions stay on the default connection (WAL mode:
 *   a read never waits for the writer);
 * - a library that writes with its own statements (the rate limiter) writes
 *   on the writer connection, in the same queue (`sqliteWriter`).
 * Every connection is better-sqlite3's (sqlite-sync-connection.ts): one copy
 * of SQLite in the process, so the locks are seen by every connection.
 * A write issued without its transaction from inside a queued transaction
 * would wait for itself: it runs on the writer connection at once (so it is
 * part of that transaction) rather than deadlock.
 *
 * Checkpoints (copying the WAL back into the database file, with an fsync)
 * run on a connection of their own, every second, instead of inside the
 * commit that happens to cross SQLite's 1,000-page mark: that commit, and
 * every sign-in queued behind it, used to wait for the checkpoint's fsync.
 * A passive checkpoint never blocks the writer. The automatic checkpoint
 * stays on, at a far higher mark, only to bound the WAL if the timer stops.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { QueryTypes, type Sequelize, type Transaction, type TransactionOptions } from 'sequelize';
import { SyncSqliteConnection } from './sqlite-sync-connection';
import { logger } from '../logger';

const WRITER = 'writer';
const CHECKPOINTER = 'checkpointer';
const CHECKPOINT_EVERY_MS = 1000;
/** About 40 MB of WAL: reached only if the background checkpoint cannot keep up or stopped. */
const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;
const transactionId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const writeTypes = new Set<string>([QueryTypes.INSERT, QueryTypes.UPDATE, QueryTypes.BULKUPDATE, QueryTypes.BULKDELETE, QueryTypes.DELETE, QueryTypes.UPSERT]);
const writeSql = /^\s*(insert|update|delete|replace|create|alter|drop)\b/i;

/** A FIFO mutex: each holder runs after the previous one settled. */
class WriteQueue {
	private tail: Promise<void> = Promise.resolve();
	/** Set inside a turn; `active` goes false when the turn ends, for work it spawned that outlives it. */
	private readonly turn = new AsyncLocalStorage<{ active: boolean }>();

	/** `settle` runs at the end of every turn, before the next begins. */
	constructor(private readonly settle: () => void) {}

	get holding(): boolean {
		return this.turn.getStore()?.active ?? false;
	}

	acquire(): Promise<() => void> {
		let release!: () => void;
		const turn = new Promise<void>((resolve) => (release = resolve));
		const end = () => {
			this.settle();
			release();
		};
		const ready = this.tail.then(() => end);
		this.tail = this.tail.then(() => turn);
		return ready;
	}

	async run<T>(work: () => Promise<T>): Promise<T> {
		const release = await this.acquire();
		const state = { active: true };
		try {
			return await this.turn.run(state, work);
		} finally {
			state.active = false;
			release();
		}
	}
}

interface SqliteConnectionManager {
	connections: Record<string, SyncSqliteConnection | undefined>;
	getConnection(options?: { uuid?: string }): Promise<unknown>;
	releaseConnection(connection: { uuid?: string }, force?: boolean): void;
}

type QueryOptions = { transaction?: Transaction | null; type?: string; uuid?: string } & Record<string, unknown>;
type TransactionFn = Sequelize['transaction'];

/** What work outside Sequelize's own calls needs of the writer (direct transactions, the rate limiter). */
export interface SqliteWriter {
	/** The writer connection, opened if need be. */
	connection(): SyncSqliteConnection;
	/** Whether this turn already holds the writer (work here is inside a transaction on it). */
	readonly holding: boolean;
	/** Runs `work` in the writer's queue, or at once inside a turn that already holds it (it would wait for itself). */
	run<T>(work: () => Promise<T>): Promise<T>;
}
const writers = new WeakMap<Sequelize, SqliteWriter>();

/** The writer of a SQLite file database; undefined for `:memory:` and MySQL, which have none. */
export function sqliteWriter(sequelize: Sequelize): SqliteWriter | undefined {
	return writers.get(sequelize);
}

export function useSingleWriter(sequelize: Sequelize, storage: string): void {
	const manager = sequelize.connectionManager as unknown as SqliteConnectionManager;
	const writerConnection = () => (manager.connections[WRITER] ??= openWriter(storage));
	// A COMMIT that fails (a deferred foreign key, a full disk) can leave its transaction open, and Sequelize then
	// gives up on it: every later BEGIN on the writer would fail. The turn that left it ends it.
	const queue = new WriteQueue(() => {
		const writer = manager.connections[WRITER];
		if (!writer?.driver.inTransaction) return;
		logger().error('SQLite writer: a transaction was still open at the end of its turn (a failed COMMIT?); rolled back');
		writer.run('ROLLBACK');
	});

	// Every transaction (Sequelize names each with a fresh UUID) shares the writer connection, which stays open;
	// other named connections (the checkpointer's) keep their own.
	const getConnection = manager.getConnection.bind(manager);
	manager.getConnection = async (options = {}) => {
		const uuid = options.uuid && transactionId.test(options.uuid) ? WRITER : options.uuid;
		if (uuid !== WRITER) return getConnection({ ...options, uuid });
		return writerConnection();
	};
	checkpointInBackground(sequelize, manager);
	writers.set(sequelize, {
		connection: writerConnection,
		get holding() {
			return queue.holding;
		},
		run: (work) => (queue.holding ? work() : queue.run(work)),
	});
	const releaseConnection = manager.releaseConnection.bind(manager);
	// The writer stays open after each transaction (Sequelize would close it); one a failed COMMIT left open is ended by the queue.
	manager.releaseConnection = (connection, force) => {
		if (connection !== manager.connections[WRITER]) releaseConnection(connection, force);
	};

	const transaction = sequelize.transaction.bind(sequelize) as (options?: TransactionOptions, cb?: (t: Transaction) => Promise<unknown>) => Promise<unknown>;
	sequelize.transaction = (async (optionsOrCallback?: TransactionOptions | ((t: Transaction) => Promise<unknown>), callback?: (t: Transaction) => Promise<unknown>) => {
		const options = typeof optionsOrCallback === 'function' ? undefined : optionsOrCallback;
		const work = typeof optionsOrCallback === 'function' ? optionsOrCallback : callback;
		if (options?.transaction) return transaction(options, work); // nested: a savepoint on the same connection
		if (queue.holding) {
			// It would wait for itself in the queue, and run at once it is no savepoint: a second BEGIN on the writer
			// fails, and Sequelize's ROLLBACK of it would end the enclosing transaction, whose later statements would then
			// autocommit. Refused before anything is sent, so the enclosing transaction fails whole.
			throw new Error('SQLite writer: a transaction cannot begin without its parent inside a transaction already on the writer (pass { transaction }).');
		}
		if (work) return queue.run(() => transaction(options, work));
		// Unmanaged (`await sequelize.transaction()`, as Sequelize itself uses): held until commit or rollback.
		const release = await queue.acquire();
		try {
			const t = (await transaction(options)) as Transaction;
			const finish = <K extends 'commit' | 'rollback'>(name: K) => {
				const original = t[name].bind(t);
				t[name] = (async () => {
					try {
						return await original();
					} finally {
						release();
					}
				}) as Transaction[K];
			};
			finish('commit');
			finish('rollback');
			return t;
		} catch (error) {
			release();
			throw error;
		}
	}) as TransactionFn;

	const query = sequelize.query.bind(sequelize) as (sql: unknown, options?: QueryOptions) => Promise<unknown>;
	sequelize.query = ((sql: unknown, options?: QueryOptions) => {
		const text = typeof sql === 'string' ? sql : ((sql as { query?: string })?.query ?? '');
		const writes = (options?.type && writeTypes.has(options.type)) || writeSql.test(text);
		if (options?.transaction || !writes) return query(sql, options);
		const onWriter = () => query(sql, { ...options, uuid: WRITER });
		return queue.holding ? onWriter() : queue.run(onWriter);
	}) as Sequelize['query'];
}

/** The writer's connection: synchronous (see sqlite-sync-connection.ts), set up as Sequelize sets up its own. */
function openWriter(storage: string): SyncSqliteConnection {
	const connection = new SyncSqliteConnection(storage);
	connection.uuid = WRITER;
	connection.run('PRAGMA foreign_keys = ON');
	// A sign-in the server has answered must survive a power cut (the phone then drops it from its outbox): FULL, whatever the driver's default.
	connection.run('PRAGMA synchronous = FULL');
	connection.run(`PRAGMA wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
	return connection;
}

/** A passive checkpoint every second on a connection of its own, stopped when the database closes. */
function checkpointInBackground(sequelize: Sequelize, manager: SqliteConnectionManager): void {
	let running = false;
	const checkpoint = async () => {
		if (running) return;
		running = true;
		try {
			const connection = (await manager.getConnection({ uuid: CHECKPOINTER })) as SyncSqliteConnection;
			await new Promise<void>((resolve) => connection.run('PRAGMA wal_checkpoint(PASSIVE)', () => resolve()));
		} catch {
			// A failed checkpoint is retried on the next tick; the automatic one bounds the WAL meanwhile.
		} finally {
			running = false;
		}
	};
	const timer = setInterval(() => void checkpoint(), CHECKPOINT_EVERY_MS);
	timer.unref();
	const close = sequelize.close.bind(sequelize);
	sequelize.close = () => {
		clearInterval(timer);
		return close();
	};
}
