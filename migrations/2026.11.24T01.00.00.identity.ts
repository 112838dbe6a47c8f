/**
 * Identity (issue 3): who did what in admin audit records, and the table the
 * rate limiter (rate-limiter-flexible) keeps its counters in, shared by every
 * instance.
 */
import { DataTypes } from 'sequelize';
import type { MigrationParams } from './types';

export async function up({ context: qi }: MigrationParams): Promise<void> {
	await qi.addColumn('audit_records', 'actor_id', {
		type: DataTypes.INTEGER,
		allowNull: true,
		references: { model: 'users', key: 'id' },
		onDelete: 'SET NULL',
	});
	await qi.addColumn('audit_records', 'action', { type: DataTypes.STRING(64), allowNull: true });
	await qi.addColumn('audit_records', 'subject_id', { type: DataTypes.INTEGER, allowNull: true });
	await qi.addColumn('audit_records', 'details', { type: DataTypes.TEXT, allowNull: true });
	await qi.addIndex('audit_records', ['action', 'at'], { name: 'audit_records_action_at' });

	// Column names and types are the ones rate-limiter-flexible reads and writes.
	await qi.createTable('rate_limits', {
		key: { type: DataTypes.STRING(255), primaryKey: true, allowNull: false },
		points: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
		expire: { type: DataTypes.BIGINT, allowNull: true },
	});
}

export async function down({ context: qi }: MigrationParams): Promise<void> {
	await qi.dropTable('rate_limits');
	await qi.removeIndex('audit_records', 'audit_records_action_at');
	await qi.removeColumn('audit_records', 'details');
	await qi.removeColumn('audit_records', 'subject_id');
	await qi.removeColumn('audit_records', 'action');
	await qi.removeColumn('audit_records', 'actor_id');
}
