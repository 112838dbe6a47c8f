/**
 * The admin audit log (issue 10) filters by actor, subject and time and
 * pages by id; a sign-in or sign-out's audit record is found from its fact
 * (`actions.audit_id`). Indexes for each, so a page stays one quick query.
 * MySQL/MariaDB already index every foreign key column (actor_id,
 * actions.audit_id), and would then refuse to drop ours; SQLite indexes none.
 */
import type { MigrationParams } from './types';

const onlyOnSqlite = [
	{ table: 'audit_records', fields: ['actor_id', 'id'], name: 'audit_records_actor' },
	{ table: 'actions', fields: ['audit_id'], name: 'actions_audit' },
];
const everywhere = [
	{ table: 'audit_records', fields: ['subject_id', 'id'], name: 'audit_records_subject' },
	{ table: 'audit_records', fields: ['at'], name: 'audit_records_at' },
];

const indexesFor = (qi: MigrationParams['context']) => (qi.sequelize.getDialect() === 'sqlite' ? [...everywhere, ...onlyOnSqlite] : everywhere);

export async function up({ context: qi }: MigrationParams): Promise<void> {
	for (const index of indexesFor(qi)) await qi.addIndex(index.table, index.fields, { name: index.name });
}

export async function down({ context: qi }: MigrationParams): Promise<void> {
	for (const index of indexesFor(qi).reverse()) await qi.removeIndex(index.table, index.name);
}
