/**
 * Fixed-window counters (rate-limiter-flexible) kept in the database's
 * `rate_limits` table, so every app instance on one database counts against
 * the same limits. MySQL/MariaDB borrows connections from Sequelize's pool.
 * SQLite writes the counters on the single writer, in its queue, through
 * better-sqlite3 like every other connection: each update is one synchronous
 * transaction there, between the writer's other transactions. (A connection
 * of its own, on node-sqlite3, once wrote over the writer's commits:
 * server/db/sqlite-sync-connection.ts.)
 */
import { RateLimiterMySQL, RateLimiterRes, RateLimiterSQLite, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import { Op, type Sequelize } from 'sequelize';
import { logger } from '../logger';
import type { SyncSqliteConnection } from './sqlite-sync-connection';
import { sqliteWriter } from './sqlite-writer';

export const RATE_LIMITS_TABLE = 'rate_limits';
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

/** The better-sqlite3 calls the library makes, passed on to the connection writes go to at that moment. */
interface SqliteStoreClient {
	prepare(sql: string): unknown;
	transaction(fn: (...args: never[]) => unknown): unknown;
}

interface SqliteConnectionManager {
	getConnection(options: object): Promise<SyncSqliteConnection>;
}

/** Limiters bound to one Sequelize instance (one database). */
export class RateLimitStore {
	private readonly limiters = new Map<string, Promise<RateLimiterStoreAbstract>>();
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
			return new RateLimiterSQLite({ ...common, storeClient: await this.sqliteClient(), storeType: 'better-sqlite3' });
		}
		return new RateLimiterMySQL({ ...common, storeClient: this.sequelize, storeType: 'sequelize', dbName: this.sequelize.config.database });
	}

	/** The writer's connection (an in-memory database's only one), looked up at each call. */
	private async sqliteClient(): Promise<SqliteStoreClient> {
		const writer = sqliteWriter(this.sequelize);
		const manager = this.sequelize.connectionManager as unknown as SqliteConnectionManager;
		const memory = writer ? undefined : await manager.getConnection({});
		const driver = () => (writer ? writer.connection() : memory!).driver;
		return {
			prepare: (sql) => driver().prepare(sql),
			transaction: (fn) => driver().transaction(fn),
		};
	}

	/** SQLite: each limiter call in the writer's queue, so its transaction never lands inside another's. */
	private serialise<T>(work: () => Promise<T>): Promise<T> {
		const writer = sqliteWriter(this.sequelize);
		return writer ? writer.run(work) : work();
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
