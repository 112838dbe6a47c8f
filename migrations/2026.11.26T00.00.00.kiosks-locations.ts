/**
 * Kiosks, badges and locations (issue 9). A location may require the kiosk's
 * rotating presence code instead of its poster. A kiosk's pairing code
 * expires, and the kiosk reports how many actions wait in its outbox. A fact
 * (`actions` row) keeps the location it happened at, from which the record it
 * opens takes its `location_id`. A badge keeps its secret sealed (AES-GCM under
 * the server key) so its owner can see the same QR again; lookups use the hash.
 */
import { DataTypes } from 'sequelize';
import type { MigrationParams } from './types';

export async function up({ context: qi }: MigrationParams): Promise<void> {
	await qi.addColumn('locations', 'requires_presence', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
	await qi.addColumn('kiosks', 'pairing_code_expires_at', { type: DataTypes.DATE(3), allowNull: true });
	await qi.addColumn('kiosks', 'waiting_actions', { type: DataTypes.INTEGER, allowNull: true });
	await qi.addColumn('actions', 'location_id', {
		type: DataTypes.INTEGER,
		allowNull: true,
		references: { model: 'locations', key: 'id' },
		onDelete: 'SET NULL',
	});
	await qi.addColumn('badges', 'sealed_secret', { type: DataTypes.STRING(255), allowNull: true });
}

export async function down({ context: qi }: MigrationParams): Promise<void> {
	await qi.removeColumn('badges', 'sealed_secret');
	await qi.removeColumn('actions', 'location_id');
	await qi.removeColumn('kiosks', 'waiting_actions');
	await qi.removeColumn('kiosks', 'pairing_code_expires_at');
	await qi.removeColumn('locations', 'requires_presence');
}
