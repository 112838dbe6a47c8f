/**
 * A transaction for work made only of direct statements (the fold's: a
 * sign-in, a sync batch), begun and ended straight on the driver.
 * Sequelize's own transaction (a Query with a captured stack for each of
 * BEGIN and COMMIT, a UUID, continuation-local storage) cost about a tenth of
 * a sign-in's CPU once the statements inside went direct. SQLite: on the
 * single writer, in its queue, as every transaction. MySQL: a connection
 * from Sequelize's pool, given back after.
 *
 * Only direct statements (server/db/queries/direct-statements.ts) may run
 * inside. Where there is no single writer (`:memory:`), or when called inside
 * a transaction already on the writer, it is Sequelize's transaction.
 */
import type { Sequelize } from 'sequelize';
import { database } from './database';
import { write, type DirectTransaction } from './queries/direct-statements';
import { onWriter } from './sqlite-writer';

interface ConnectionManager {
	getConnection(options: object): Promise<unknown>;
	releaseConnection(connection: unknown): Promise<void> | void;
}

let count = 0;

async function within<T>(sequelize: Sequelize, t: DirectTransaction, begin: string, work: (t: DirectTransaction) => Promise<T>): Promise<T> {
	await write(sequelize, t, begin, []);
	try {
		const result = await work(t);
		await write(sequelize, t, 'COMMIT', []);
		return result;
	} catch (error) {
		// A failed COMMIT can leave the transaction open; a lost connection cannot roll back, and is discarded by the pool.
		await write(sequelize, t, 'ROLLBACK', []).catch(() => undefined);
		throw error;
	}
}

export async function directTransaction<T>(work: (t: DirectTransaction) => Promise<T>): Promise<T> {
	const sequelize = database();
	const id = `direct-${(count = (count + 1) % Number.MAX_SAFE_INTEGER)}`;
	const viaSequelize = () => sequelize.transaction((t) => work(t as unknown as DirectTransaction));
	if (sequelize.getDialect() === 'sqlite') {
		const turn = onWriter(sequelize);
		return (turn && turn((connection) => within(sequelize, { id, connection }, 'BEGIN IMMEDIATE', work))) ?? viaSequelize();
	}
	const manager = sequelize.connectionManager as unknown as ConnectionManager;
	const connection = await manager.getConnection({});
	try {
		return await within(sequelize, { id, connection }, 'START TRANSACTION', work);
	} finally {
		await manager.releaseConnection(connection);
	}
}
