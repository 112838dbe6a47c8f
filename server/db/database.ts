/**
 * The Sequelize instance, its models, migrations and the transaction helper.
 * One database is open per process (per test file in tests).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Sequelize, Transaction, type QueryInterface } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import { migrations } from '../../migrations/index';
import { config, type DatabaseConfig } from '../config';
import { logger } from '../logger';
import { initAttendanceModels } from './models/attendance.model';
import { initNotificationModels } from './models/notifications.model';
import { initOperationsModels } from './models/operations.model';
import { initPeopleModels } from './models/people.model';
import { sqlite3Compatible } from './sqlite-sync-connection';
import { useSingleWriter } from './sqlite-writer';

let current: Sequelize | undefined;

export class DatabaseUnavailableError extends Error {
	constructor(target: string, cause: unknown) {
		const reason = cause instanceof Error ? cause.message : String(cause);
		super(`Cannot open the database at ${target}: ${reason}`);
		this.name = 'DatabaseUnavailableError';
	}
}

/** Migrations may run long DDL, so the per-query limit is lifted while they run. */
let queryLimitOn = true;

async function withoutQueryLimit<T>(work: () => Promise<T>): Promise<T> {
	queryLimitOn = false;
	try {
		return await work();
	} finally {
		queryLimitOn = true;
	}
}

type Mysql2Connection = {
	query: (...args: unknown[]) => unknown;
	execute: (...args: unknown[]) => unknown;
	destroy: () => void;
};

/**
 * Gives every statement on a mysql2 connection an inactivity timeout (Sequelize
 * 6 has no per-query option). A timed-out connection is destroyed, so the pool
 * drops it instead of queueing the next statement behind the lost one.
 */
function limitQueries(connection: Mysql2Connection, timeoutMs: number): void {
	for (const method of ['query', 'execute'] as const) {
		const original = connection[method].bind(connection);
		connection[method] = (sql: unknown, ...rest: unknown[]) => {
			if (!queryLimitOn) return original(sql, ...rest);
			const options = typeof sql === 'string' ? { sql } : (sql as object);
			const callback = rest.findIndex((arg) => typeof arg === 'function');
			if (callback >= 0) {
				const done = rest[callback] as (error: unknown, ...results: unknown[]) => void;
				rest[callback] = (error: { code?: string } | null, ...results: unknown[]) => {
					if (error?.code === 'PROTOCOL_SEQUENCE_TIMEOUT') connection.destroy();
					done(error, ...results);
				};
			}
			return original({ timeout: timeoutMs, ...options }, ...rest);
		};
	}
}

function createSequelize(db: DatabaseConfig, log: boolean, timeoutMs: number): Sequelize {
	const logging = log ? (sql: string) => logger().debug({ sql }, 'sql') : false;
	if (db.dialect === 'sqlite') {
		if (db.storage !== ':memory:') mkdirSync(path.dirname(db.storage), { recursive: true });
		const sequelize = new Sequelize({
			dialect: 'sqlite',
			// better-sqlite3 for every connection: one copy of SQLite in the process (server/db/sqlite-sync-connection.ts).
			dialectModule: sqlite3Compatible,
			storage: db.storage,
			logging,
			// IMMEDIATE takes the write lock up front, so a transaction never has to upgrade a read lock.
			transactionType: Transaction.TYPES.IMMEDIATE,
			retry: { max: 10, match: [/SQLITE_BUSY/] },
		});
		if (db.storage !== ':memory:') useSingleWriter(sequelize, db.storage);
		return sequelize;
	}
	const sequelize = new Sequelize(db.url, {
		dialect: 'mysql',
		logging,
		timezone: '+00:00',
		// A silent or refusing server is answered within timeoutMs (a 503), never hung; see server/db/outage.ts.
		dialectOptions: { connectTimeout: timeoutMs },
		// A burst of requests queues for a connection (a few seconds under load is a queue, not an outage);
		// a server that is away still fails fast, through the connect and statement timeouts.
		pool: { max: 10, min: 0, idle: 10_000, acquire: Math.max(10_000, timeoutMs), evict: 1000 },
	});
	sequelize.addHook('afterConnect', (connection) => limitQueries(connection as Mysql2Connection, timeoutMs));
	return sequelize;
}

/** Opens (or returns) the process's database; models are bound to it. */
export function database(): Sequelize {
	current ??= openDatabase(config().database);
	return current;
}

export function openDatabase(target: DatabaseConfig): Sequelize {
	const sequelize = createSequelize(target, config().databaseLog, config().databaseTimeoutMs);
	initPeopleModels(sequelize);
	initAttendanceModels(sequelize);
	initOperationsModels(sequelize);
	initNotificationModels(sequelize);
	current = sequelize;
	return sequelize;
}

export async function closeDatabase(): Promise<void> {
	const open = current;
	current = undefined;
	await open?.close();
}

function describeTarget(target: DatabaseConfig): string {
	if (target.dialect === 'sqlite') return target.storage;
	const url = new URL(target.url);
	return `${url.protocol}//${url.host}${url.pathname}`;
}

/** Checks the connection and applies pending migrations; a failure is one readable error. */
export async function prepareDatabase(): Promise<string[]> {
	const target = config().database;
	const sequelize = database();
	try {
		await sequelize.authenticate();
		if (target.dialect === 'sqlite' && target.storage !== ':memory:') {
			await sequelize.query('PRAGMA journal_mode = WAL');
		}
	} catch (error) {
		throw new DatabaseUnavailableError(describeTarget(target), error);
	}
	const applied = await migrator(sequelize).up();
	return applied.map((m) => m.name);
}

export function migrator(sequelize: Sequelize = database()) {
	return new Umzug<QueryInterface>({
		migrations: migrations.map(({ name, migration }) => ({
			name,
			up: ({ context }) => withoutQueryLimit(() => migration.up({ context })),
			down: ({ context }) => withoutQueryLimit(() => migration.down({ context })),
		})),
		context: sequelize.getQueryInterface(),
		storage: new SequelizeStorage({ sequelize, tableName: 'migrations_meta' }),
		logger: undefined,
	});
}

/** Runs `work` in one transaction, committed when it resolves, rolled back when it throws. */
export function transaction<T>(work: (t: Transaction) => Promise<T>): Promise<T> {
	return database().transaction((t) => work(t));
}
