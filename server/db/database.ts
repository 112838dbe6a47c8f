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
import { initOperationsModels } from './models/operations.model';
import { initPeopleModels } from './models/people.model';
import { useSingleWriter } from './sqlite-writer';

let current: Sequelize | undefined;

export class DatabaseUnavailableError extends Error {
	constructor(target: string, cause: unknown) {
		const reason = cause instanceof Error ? cause.message : String(cause);
		super(`Cannot open the database at ${target}: ${reason}`);
		this.name = 'DatabaseUnavailableError';
	}
}

function createSequelize(db: DatabaseConfig, log: boolean): Sequelize {
	const logging = log ? (sql: string) => logger().debug({ sql }, 'sql') : false;
	if (db.dialect === 'sqlite') {
		if (db.storage !== ':memory:') mkdirSync(path.dirname(db.storage), { recursive: true });
		const sequelize = new Sequelize({
			dialect: 'sqlite',
			storage: db.storage,
			logging,
			// IMMEDIATE takes the write lock up front, so a transaction never has to upgrade a read lock.
			transactionType: Transaction.TYPES.IMMEDIATE,
			retry: { max: 10, match: [/SQLITE_BUSY/] },
		});
		if (db.storage !== ':memory:') useSingleWriter(sequelize);
		return sequelize;
	}
	return new Sequelize(db.url, {
		dialect: 'mysql',
		logging,
		timezone: '+00:00',
		pool: { max: 10, min: 0, idle: 10_000 },
	});
}

/** Opens (or returns) the process's database; models are bound to it. */
export function database(): Sequelize {
	current ??= openDatabase(config().database);
	return current;
}

export function openDatabase(target: DatabaseConfig): Sequelize {
	const sequelize = createSequelize(target, config().databaseLog);
	initPeopleModels(sequelize);
	initAttendanceModels(sequelize);
	initOperationsModels(sequelize);
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
			up: ({ context }) => migration.up({ context }),
			down: ({ context }) => migration.down({ context }),
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
