/**
 * Security (issue 7): the mobile app's Microsoft login matches people on the
 * directory's tenant and object id, which they cannot edit, rather than on
 * their mail address, which an admin (or a guest's home tenant) can change.
 */
import { DataTypes } from 'sequelize';
import type { MigrationParams } from './types';

export async function up({ context: qi }: MigrationParams): Promise<void> {
	await qi.createTable('external_identities', {
		id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
		provider: { type: DataTypes.STRING(16), allowNull: false },
		tenant_id: { type: DataTypes.STRING(64), allowNull: false },
		object_id: { type: DataTypes.STRING(64), allowNull: false },
		user_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' },
		created_at: { type: DataTypes.DATE(3), allowNull: false },
	});
	await qi.addIndex('external_identities', ['provider', 'tenant_id', 'object_id'], { unique: true, name: 'external_identities_subject' });
	await qi.addIndex('external_identities', ['user_id'], { name: 'external_identities_user' });
}

export async function down({ context: qi }: MigrationParams): Promise<void> {
	await qi.dropTable('external_identities');
}
