/**
 * Admin corrections (issue 10). A correction is a fact in the `actions`
 * ledger (kind `correction-sign-in` or `correction-sign-out`) that names the
 * record it corrects by that record's sign-in time (`target_at`). A record
 * keeps the admin audit row of the last correction that touched it
 * (`corrected_audit_id`: who, when, why), which the reports show.
 */
import { DataTypes } from 'sequelize';
import type { MigrationParams } from './types';

export async function up({ context: qi }: MigrationParams): Promise<void> {
	await qi.addColumn('actions', 'target_at', { type: DataTypes.DATE(3), allowNull: true });
	await qi.addColumn('sign_in_records', 'corrected_audit_id', {
		type: DataTypes.INTEGER,
		allowNull: true,
		references: { model: 'audit_records', key: 'id' },
		onDelete: 'SET NULL',
	});
}

export async function down({ context: qi }: MigrationParams): Promise<void> {
	await qi.removeColumn('sign_in_records', 'corrected_audit_id');
	await qi.removeColumn('actions', 'target_at');
}
