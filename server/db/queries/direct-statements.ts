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

/**
 * The id a held INSERT will get (`insertLater`), for later statements of the
 * same transaction to carry as a parameter. The server keeps it in a session
 * variable set from LAST_INSERT_ID() straight after the insert, in the same
 * packet; mysql2 writes a parameter with `toSqlString` into the text as it is
 * (here only the fixed name `@held_id_<n>`).
 */
export class HeldId {
	constructor(readonly variable: string) {}
	toSqlString(): string {
		return this.variable;
	}
}

/** A parameter. A HeldId only ever goes to MySQL: elsewhere `insertLater` answers the id itself. */
export type Value = string | number | null | HeldId;

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

/** One statement and its `?` parameters. */
export interface Statement {
	sql: string;
	params: Value[];
}

/** A transaction begun straight on the driver (server/db/direct-transaction.ts): its label and its connection. */
export interface DirectTransaction {
	readonly id: string;
	readonly connection: unknown;
	/**
	 * MySQL: statements held back to ride in the packet of the next one (the
	 * BEGIN, and writes nobody waits on), so a sign-in is 2 round trips, not 7.
	 * Absent where there is no network to save (SQLite's writer is in process).
	 */
	readonly held?: Statement[];
	/** MySQL: the held inserts whose id was asked for so far (names each one's variable). */
	heldIds?: number;
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

const heldOf = (t: TransactionScope): Statement[] | undefined => (t as DirectTransaction).held;

/** Logs as Sequelize does, then runs `work` on the connection and turns a driver error into Sequelize's. */
async function send<T>(sequelize: Sequelize, label: string, connection: unknown, statements: readonly Statement[], work: (connection: unknown) => Promise<T>): Promise<T> {
	const internals = sequelize as unknown as SequelizeInternals;
	const log = internals.options.logging;
	// One line per statement, so statement counts stay counts; the ones that rode along say so.
	if (typeof log === 'function') statements.forEach(({ sql }, i) => log(`Executing (${i === 0 ? label : `${label}, same packet`}): ${sql}`));
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

type MysqlResult = Row[] | { insertId: number; affectedRows: number };

/**
 * The held statements and `statements` as one MySQL packet (one round trip;
 * the server still runs them one by one, in order, and stops at the first
 * that fails); answers the results of `statements`.
 */
function sendPacket(sequelize: Sequelize, t: DirectTransaction, statements: readonly Statement[]): Promise<MysqlResult[]> {
	const packet = [...t.held!.splice(0), ...statements];
	return send(sequelize, t.id, t.connection, packet, (connection) =>
		new Promise<MysqlResult[]>((resolve, reject) => {
			const sql = packet.map((s) => s.sql).join(';\n');
			(connection as MysqlDriver).query(sql, packet.flatMap((s) => s.params), (error, result) => {
				if (error) return reject(error);
				const results = packet.length === 1 ? [result as MysqlResult] : (result as unknown as MysqlResult[]);
				resolve(results.slice(packet.length - statements.length));
			});
		}),
	);
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
		return await send(sequelize, 'default', connection, [{ sql, params }], (c) => rowsOn<T>(sequelize, c, sql, params));
	} finally {
		await manager.releaseConnection(connection);
	}
}

const transactionId = (t: TransactionScope) => (t as unknown as { id: string }).id;

/** The rows a SELECT returns, inside the transaction. */
export async function selectRows<T extends object>(sequelize: Sequelize, t: TransactionScope, sql: string, params: Value[]): Promise<T[]> {
	const [rows] = await selectEach(sequelize, t, [{ sql, params }]);
	return rows as T[];
}

/** The rows of each SELECT, in order, inside the transaction: on MySQL in one round trip. */
export async function selectEach(sequelize: Sequelize, t: TransactionScope, statements: readonly Statement[]): Promise<Row[][]> {
	if (heldOf(t)) return (await sendPacket(sequelize, t as DirectTransaction, statements)) as Row[][];
	const results: Row[][] = [];
	for (const { sql, params } of statements) results.push(await send(sequelize, transactionId(t), connectionOf(t), [{ sql, params }], (c) => rowsOn<Row>(sequelize, c, sql, params)));
	return results;
}

/** Runs an INSERT, UPDATE or DELETE; answers the id of the last row inserted. */
export async function write(sequelize: Sequelize, t: TransactionScope, sql: string, params: Value[]): Promise<number> {
	if (heldOf(t)) {
		const [result] = await sendPacket(sequelize, t as DirectTransaction, [{ sql, params }]);
		return Number((result as { insertId: number }).insertId);
	}
	return send(sequelize, transactionId(t), connectionOf(t), [{ sql, params }], (connection) =>
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

/**
 * A write whose answer nobody waits for. In a direct MySQL transaction it is
 * held back and rides in the packet of the next statement or of the COMMIT;
 * if it fails, that statement fails, and with it the transaction, so nothing
 * of it is kept. Elsewhere it runs at once.
 */
export async function writeLater(sequelize: Sequelize, t: TransactionScope, sql: string, params: Value[]): Promise<void> {
	const held = heldOf(t);
	if (held) held.push({ sql, params });
	else await write(sequelize, t, sql, params);
}

/**
 * An INSERT whose id later statements need but the caller itself does not
 * read (a sign-in's audit row, which its record and fact point to). In a
 * direct MySQL transaction it is held back like `writeLater`, followed by
 * `SET @held_id_<n> = LAST_INSERT_ID()`, and answers a HeldId naming that
 * variable: so the audit row rides with the record, the fact and the COMMIT,
 * and a sign-in is one round trip fewer. Elsewhere it runs at once and
 * answers the id.
 */
export async function insertLater(sequelize: Sequelize, t: TransactionScope, sql: string, params: Value[]): Promise<number | HeldId> {
	const held = heldOf(t);
	if (!held) return write(sequelize, t, sql, params);
	const direct = t as DirectTransaction;
	direct.heldIds = (direct.heldIds ?? 0) + 1;
	const id = new HeldId(`@held_id_${direct.heldIds}`);
	held.push({ sql, params }, { sql: `SET ${id.variable} = LAST_INSERT_ID()`, params: [] });
	return id;
}
