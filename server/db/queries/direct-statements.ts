/**
 * Statements of the hottest paths (a sign-in's fold and writes, the session
 * of every request), sent straight to the driver's connection. Sequelize's
 * query path (replacements parsed out of the text, a Query object and a
 * captured stack per statement, retries, result shaping) cost more CPU than
 * the statements themselves on both databases (profiles in
 * docs/decisions.md).
 *
 * Same connection, same transaction: Sequelize's, or a direct one begun and
 * ended on the driver (server/db/direct-transaction.ts). Errors become
 * Sequelize's own (its dialect maps them, so a unique violation is still a
 * UniqueConstraintError), and every statement still goes to Sequelize's
 * logger, so SQL logs and the statement-count tests see it. Parameters are
 * `?` placeholders; instants go in as `instantParam` text.
 */
import type { Sequelize, Transaction } from 'sequelize';

type Row = Record<string, unknown>;
export type Value = string | number | null;

/** node-sqlite3's Database, or the writer's synchronous stand-in for it. */
interface SqliteDriver {
	all(sql: string, params: Value[], cb: (error: Error | null, rows?: Row[]) => void): unknown;
	run(sql: string, params: Value[], cb: (this: { lastID: number; changes: number }, error: Error | null) => void): unknown;
}

/** mysql2's callback connection (the one Sequelize holds). */
interface MysqlDriver {
	query(sql: string, params: Value[], cb: (error: Error | null, result?: Row[] | { insertId: number; affectedRows: number }) => void): unknown;
}

interface SequelizeInternals {
	options: { logging?: false | ((sql: string) => void) };
	dialect: { Query: new (connection: unknown, sequelize: Sequelize, options: object) => { formatError(error: Error, stack?: string): Error } };
}

/** A transaction begun straight on the driver (server/db/direct-transaction.ts): its label and its connection. */
export interface DirectTransaction {
	readonly id: string;
	readonly connection: unknown;
}

/** Where a direct statement runs: a Sequelize transaction or a direct one; both carry their connection. */
export type TransactionScope = Transaction | DirectTransaction;

interface ConnectionManager {
	getConnection(options: { type: string }): Promise<unknown>;
	releaseConnection(connection: unknown): Promise<void> | void;
}

function connectionOf(t: TransactionScope): unknown {
	const connection = (t as unknown as { connection?: unknown }).connection;
	if (!connection) throw new Error('The transaction has no connection yet.');
	return connection;
}

/** Logs as Sequelize does, then runs `work` on the connection and turns a driver error into Sequelize's. */
async function send<T>(sequelize: Sequelize, label: string, connection: unknown, sql: string, work: (connection: unknown) => Promise<T>): Promise<T> {
	const internals = sequelize as unknown as SequelizeInternals;
	const log = internals.options.logging;
	if (typeof log === 'function') log(`Executing (${label}): ${sql}`);
	try {
		return await work(connection);
	} catch (error) {
		if (!(error instanceof Error)) throw error;
		throw new internals.dialect.Query(connection, sequelize, {}).formatError(error, error.stack);
	}
}

function rowsOn<T>(sequelize: Sequelize, connection: unknown, sql: string, params: Value[]): Promise<T[]> {
	return new Promise<T[]>((resolve, reject) => {
		if (sequelize.getDialect() === 'sqlite') (connection as SqliteDriver).all(sql, params, (error, rows) => (error ? reject(error) : resolve((rows ?? []) as T[])));
		else (connection as MysqlDriver).query(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as T[])));
	});
}

/**
 * The rows of a read outside any transaction (the session of every request,
 * the staff page's records), on a connection from Sequelize's pool; on
 * SQLite the shared read connection, never the writer.
 */
export async function readRows<T extends object>(sequelize: Sequelize, sql: string, params: Value[]): Promise<T[]> {
	const manager = sequelize.connectionManager as unknown as ConnectionManager;
	const connection = await manager.getConnection({ type: 'SELECT' });
	try {
		return await send(sequelize, 'default', connection, sql, (c) => rowsOn<T>(sequelize, c, sql, params));
	} finally {
		await manager.releaseConnection(connection);
	}
}

const transactionId = (t: TransactionScope) => (t as unknown as { id: string }).id;

/** The rows a SELECT returns, inside the transaction. */
export function selectRows<T extends object>(sequelize: Sequelize, t: TransactionScope, sql: string, params: Value[]): Promise<T[]> {
	return send(sequelize, transactionId(t), connectionOf(t), sql, (c) => rowsOn<T>(sequelize, c, sql, params));
}

/** Runs an INSERT, UPDATE or DELETE; answers the id of the last row inserted. */
export function write(sequelize: Sequelize, t: TransactionScope, sql: string, params: Value[]): Promise<number> {
	return send(sequelize, transactionId(t), connectionOf(t), sql, (connection) =>
		new Promise<number>((resolve, reject) => {
			if (sequelize.getDialect() === 'sqlite') {
				(connection as SqliteDriver).run(sql, params, function (error) {
					if (error) reject(error);
					else resolve(this.lastID);
				});
			} else {
				(connection as MysqlDriver).query(sql, params, (error, result) => (error ? reject(error) : resolve(Number((result as { insertId: number }).insertId))));
			}
		}),
	);
}
