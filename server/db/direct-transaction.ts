/**
 * A transaction for work made only of direct statements (the fold's: a
 * sign-in, a sync batch), begun and ended straight on the driver.
 * Sequelize's own transaction (a Query with a captured stack for each of
 * BEGIN and COMMIT, a UUID, continuation-local storage) cost about a tenth of
 * a sign-in's CPU once the statements inside went direct. SQLite: on the
 * single writer, in its queue, as every transaction. MySQL: a connection
 * that takes several statements a packet (server/db/mysql-packet-pool.ts);
 * the BEGIN waits to ride with the first statement, and writes nobody waits
 * on with the COMMIT.
 *
 * Only direct statements (server/db/queries/direct-statements.ts) may run
 * inside. Where there is no single writer (`:memory:`) it is Sequelize's
 * transaction; inside a transaction already on the writer it is refused
 * (server/db/sqlite-writer.ts), as it could be no savepoint there.
 */
import type { Sequelize } from 'sequelize';
import { database } from './database';
import { packetPool } from './mysql-packet-pool';
import { write, type DirectTransaction } from './queries/direct-statements';
import { sqliteWriter } from './sqlite-writer';

let count = 0;

/** Runs `work` between BEGIN and COMMIT; on failure rolls back, and answers whether the rollback went through in `rolledBack`. */
async function within<T>(sequelize: Sequelize, t: DirectTransaction, begin: string, work: (t: DirectTransaction) => Promise<T>, rolledBack?: (ok: boolean) => void): Promise<T> {
	if (t.held) t.held.push({ sql: begin, params: [] });
	else await write(sequelize, t, begin, []);
	try {
		const result = await work(t);
		await write(sequelize, t, 'COMMIT', []);
		return result;
	} catch (error) {
		// What was held back never ran; the ROLLBACK goes alone.
		t.held?.splice(0);
		// A failed COMMIT can leave the transaction open; a lost connection cannot roll back, and is discarded by the pool.
		const ok = await write(sequelize, t, 'ROLLBACK', []).then(
			() => true,
			() => false,
		);
		rolledBack?.(ok);
		throw error;
	}
}

export async function directTransaction<T>(work: (t: DirectTransaction) => Promise<T>): Promise<T> {
	const sequelize = database();
	const id = `direct-${(count = (count + 1) % Number.MAX_SAFE_INTEGER)}`;
	const viaSequelize = () => sequelize.transaction((t) => work(t as unknown as DirectTransaction));
	if (sequelize.getDialect() === 'sqlite') {
		const writer = sqliteWriter(sequelize);
		if (!writer || writer.holding) return viaSequelize();
		return writer.run(() => within(sequelize, { id, connection: writer.connection() }, 'BEGIN IMMEDIATE', work));
	}
	const pool = packetPool(sequelize);
	const connection = await pool.acquire();
	let clean = true;
	try {
		return await within(sequelize, { id, connection, held: [] }, 'START TRANSACTION', work, (ok) => (clean = ok));
	} finally {
		// A connection that could not roll back may hold an open transaction (or be lost): never lend it again.
		if (clean) pool.release(connection);
		else await pool.destroy(connection).catch(() => undefined);
	}
}
