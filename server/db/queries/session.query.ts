/**
 * The session lookup every request makes, as one raw statement: the session
 * and its person, in plain values, sent straight to the driver (Sequelize's
 * model layer, then its query path, cost more than the query here).
 */
import type { Sequelize } from 'sequelize';
import { readRows } from './direct-statements';
import type { Role } from '../models/people.model';
import { instantOf } from './person-day.query';

export interface SessionRow {
	lastSeenAt: Date;
	expiresAt: Date;
	user: { id: number; username: string; firstName: string; lastName: string; role: Role };
}

interface Row {
	user_id: number | string;
	last_seen_at: Date | string;
	expires_at: Date | string;
	username: string;
	first_name: string;
	last_name: string;
	role: Role;
}

export async function sessionByHash(sequelize: Sequelize, idHash: string): Promise<SessionRow | null> {
	const [row] = await readRows<Row>(
		sequelize,
		'SELECT s.user_id, s.last_seen_at, s.expires_at, u.username, u.first_name, u.last_name, u.role FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?',
		[idHash],
	);
	if (!row) return null;
	return {
		lastSeenAt: instantOf(row.last_seen_at),
		expiresAt: instantOf(row.expires_at),
		user: { id: Number(row.user_id), username: row.username, firstName: row.first_name, lastName: row.last_name, role: row.role },
	};
}
