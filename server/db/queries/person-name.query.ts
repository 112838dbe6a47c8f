/**
 * A person's id and name by id, straight from the driver: the mobile app's
 * status call asks it on every request, and needs nothing else of the row.
 */
import type { Sequelize } from 'sequelize';
import { PERSON_BY_ID, toPersonRow, type PersonNameRow, type PersonRow } from './attendance-writes.query';
import { readRows } from './direct-statements';

export async function personName(sequelize: Sequelize, id: number): Promise<PersonRow | null> {
	const [row] = await readRows<PersonNameRow>(sequelize, PERSON_BY_ID, [id]);
	return row ? toPersonRow(row) : null;
}
