/**
 * Fixed-window counters (rate-limiter-flexible) kept in the database's
 * `rate_limits` table, so every app instance on one database counts against
 * the same limits. MySQL/MariaDB borrows connections from Sequelize's pool;
 * SQLite gets a connection of its own on the same file, because the library
 * wraps each update in a SAVEPOINT and must not share a connection with
 * Sequelize's queries.
 */
import { RateLimiterMySQL, RateLimiterRes, RateLimiterSQLite, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import { Op, type Sequelize } from 'sequelize';
import { logger } from '../logger';

export const RATE_LIMITS_TABLE = 'rate_limits';
const SQLITE_CONNECTION = 'rate-limits';
const PRUNE_EVERY_MS = 10 * 60 * 1000;

export interface WindowSpec {
	/** Prefix of the stored keys, e.g. `code-request:ip`. */
	name: string;
	points: number;
	durationSeconds: number;
}

export interface Outcome {
	allowed: boolean;
	/** Until the window ends. */
	msBeforeNext: number;
}

/** The library's sqlite3 calls on the dedicated connection, plus the busy timeout we set. */
interface SqliteDatabase {
	run(sql: string, callback: (error: Error | null) => void): void;
	configure(option: 'busyTimeout', ms: number): void;
}

/** Limiters bound to one Sequelize instance (one database). */
export class RateLimitStore {
	private readonly limiters = new Map<string, Promise<RateLimiterStoreAbstract>>();
	private sqlite: Promise<SqliteDatabase> | undefined;
	/** SQLite: one limiter call at a time on the shared connection, so savepoints never interleave. */
	private queue: Promise<unknown> = Promise.resolve();
	private lastPrune = 0;

	constructor(private readonly sequelize: Sequelize) {}

	async consume(spec: WindowSpec, key: string): Promise<Outcome> {
		this.pruneNow();
		const limiter = await this.limiter(spec);
		try {
			const res = await this.serialise(() => limiter.consume(key));
			return { allowed: true, msBeforeNext: res.msBeforeNext };
		} catch (refusal) {
			// The library rejects with a RateLimiterRes when the window is used up, with an Error when the store fails.
			if (refusal instanceof RateLimiterRes) return { allowed: false, msBeforeNext: refusal.msBeforeNext };
			throw refusal;
		}
	}

	/** Gives a point back (a guess that turned out right). */
	async reward(spec: WindowSpec, key: string): Promise<void> {
		const limiter = await this.limiter(spec);
		await this.serialise(() => limiter.reward(key));
	}

	private limiter(spec: WindowSpec): Promise<RateLimiterStoreAbstract> {
		const id = `${spec.name}|${spec.points}|${spec.durationSeconds}`;
		let limiter = this.limiters.get(id);
		if (!limiter) {
			limiter = this.createLimiter(spec);
			this.limiters.set(id, limiter);
		}
		return limiter;
	}

	private async createLimiter(spec: WindowSpec): Promise<RateLimiterStoreAbstract> {
		// The table comes from a migration; expired rows are pruned here, not by the library's timers.
		const common = {
			keyPrefix: spec.name,
			points: spec.points,
			duration: spec.durationSeconds,
			tableName: RATE_LIMITS_TABLE,
			tableCreated: true,
			clearExpiredByTimeout: false,
		};
		if (this.sequelize.getDialect() === 'sqlite') {
			return new RateLimiterSQLite({ ...common, storeClient: await this.sqliteConnection(), storeType: 'sqlite3' });
		}
		return new RateLimiterMySQL({ ...common, storeClient: this.sequelize, storeType: 'sequelize', dbName: this.sequelize.config.database });
	}

	/** A sqlite3 Database that Sequelize opens and closes with the others, used only by the limiters. */
	private sqliteConnection(): Promise<SqliteDatabase> {
		this.sqlite ??= (async () => {
			const manager = this.sequelize.connectionManager as unknown as { getConnection(options: { uuid: string }): Promise<SqliteDatabase> };
			const db = await manager.getConnection({ uuid: SQLITE_CONNECTION });
			// Wait for a writer's lock (Sequelize's IMMEDIATE transactions) instead of failing at once.
			db.configure('busyTimeout', 5000);
			return db;
		})();
		return this.sqlite;
	}

	private serialise<T>(work: () => Promise<T>): Promise<T> {
		if (this.sequelize.getDialect() !== 'sqlite') return work();
		const run = this.queue.then(work, work);
		this.queue = run.then(
			() => undefined,
			async (error: unknown) => {
				// A failed update leaves the library's savepoint (and so a transaction) open on our connection: end it.
				if (!(error instanceof RateLimiterRes)) await this.rollback();
			},
		);
		return run;
	}

	private async rollback(): Promise<void> {
		const db = await this.sqliteConnection();
		await new Promise<void>((resolve) => db.run('ROLLBACK', () => resolve()));
	}

	/** Deletes windows that ended over an hour ago, at most every ten minutes, without delaying the caller. */
	private pruneNow(): void {
		const now = Date.now();
		if (now - this.lastPrune < PRUNE_EVERY_MS) return;
		this.lastPrune = now;
		this.sequelize
			.getQueryInterface()
			.bulkDelete(RATE_LIMITS_TABLE, { expire: { [Op.lt]: now - 3_600_000 } })
			.catch((error: unknown) => logger().warn({ err: error }, 'could not prune expired rate limits'));
	}
}

const stores = new WeakMap<Sequelize, RateLimitStore>();

/** The store for this database, made once per Sequelize instance (tests open a database per file). */
export function rateLimitStore(sequelize: Sequelize): RateLimitStore {
	let store = stores.get(sequelize);
	if (!store) {
		store = new RateLimitStore(sequelize);
		stores.set(sequelize, store);
	}
	return store;
}
