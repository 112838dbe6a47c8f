/**
 * MySQL connections that may carry several statements in one packet, for
 * direct transactions only (server/db/direct-transaction.ts): a sign-in's
 * "BEGIN; lock; read" goes as one round trip and "writes; COMMIT" as
 * another, where each statement alone was one.
 *
 * A pool of their own, beside Sequelize's: `multipleStatements` widens what
 * an injected string could do, so it is on only where every statement is one
 * of the fixed texts with `?` parameters in server/db/queries/. The
 * connections are made by Sequelize's own connection manager (the same
 * time zone, type casting and per-statement timeout hook as the rest) and
 * pooled as Sequelize pools its own, with the same limits.
 */
import { ConnectionAcquireTimeoutError, type Sequelize } from 'sequelize';
import { Pool, TimeoutError } from 'sequelize-pool';

interface ManagerInternals {
	config: { dialectOptions?: object; pool: { max: number; min: number; acquire: number; idle: number; evict: number } };
	_connect(config: object): Promise<object>;
	_disconnect(connection: object): Promise<void>;
	_validate(connection: object): boolean;
}

export interface PacketPool {
	acquire(): Promise<unknown>;
	release(connection: unknown): void;
	/** Drops a connection whose state is unknown (a failed COMMIT, a lost link). */
	destroy(connection: unknown): Promise<void>;
}

const pools = new WeakMap<Sequelize, PacketPool>();

/** The database's pool of multi-statement connections, made on first use and drained when the database closes. */
export function packetPool(sequelize: Sequelize): PacketPool {
	let pool = pools.get(sequelize);
	if (!pool) {
		pool = createPool(sequelize);
		pools.set(sequelize, pool);
	}
	return pool;
}

function createPool(sequelize: Sequelize): PacketPool {
	const manager = sequelize.connectionManager as unknown as ManagerInternals;
	const config = { ...manager.config, dialectOptions: { ...manager.config.dialectOptions, multipleStatements: true } };
	const limits = manager.config.pool;
	const pool = new Pool<object>({
		name: 'direct-transactions',
		create: () => manager._connect(config),
		destroy: (connection) => manager._disconnect(connection),
		validate: (connection) => manager._validate(connection),
		max: limits.max,
		min: 0,
		acquireTimeoutMillis: limits.acquire,
		idleTimeoutMillis: limits.idle,
		reapIntervalMillis: limits.evict,
	});
	const close = sequelize.close.bind(sequelize);
	sequelize.close = async () => {
		pools.delete(sequelize);
		await pool.drain();
		await pool.destroyAllNow();
		return close();
	};
	return {
		async acquire() {
			try {
				return await pool.acquire();
			} catch (error) {
				// As Sequelize's own pool reports it, so a queue that never moves reads as an outage (server/db/outage.ts).
				if (error instanceof TimeoutError) throw new ConnectionAcquireTimeoutError(error);
				throw error;
			}
		},
		release: (connection) => pool.release(connection as object),
		destroy: (connection) => pool.destroy(connection as object),
	};
}
