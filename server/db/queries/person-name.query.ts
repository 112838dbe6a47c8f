/**
 * A person's id and name by id, straight from the driver: the mobile app's
 * status call asks it on every request, and needs nothing else of the row.
 */
import type { Sequelize } from 'sequelize';
import type { PersonRow } from './attendance-writes.query';
import { readRows } from './direct-statements';

export async function personName(sequelize: Sequelize, id: number): Promise<PersonRow | null> {
	const [row] = await readRows<{ id: number | string; first_name: string; last_name: string }>(sequelize, 'SELECT id, first_name, last_name FROM users WHERE id = ?', [id]);
	return row ? { id: Number(row.id), firstName: row.first_name, lastName: row.last_name } : null;
}
