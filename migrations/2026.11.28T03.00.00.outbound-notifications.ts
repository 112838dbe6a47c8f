/**
 * Issue 11, outbound notifications: Web Push subscriptions, signed webhooks
 * out with their retry state, and who answered "I'm safe" to a broadcast.
 * The retry state lives here (not in memory) so a restart or another
 * instance picks up where a failed delivery left off.
 */
import { DataTypes } from 'sequelize';
import type { MigrationParams } from './types';
import { instant, ref } from './columns';

const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };

export async function up({ context: qi }: MigrationParams): Promise<void> {
	await qi.createTable('push_subscriptions', {
		id,
		user_id: ref('users', 'CASCADE', false),
		// Endpoints can be long; the unique key is on their SHA-256 (MariaDB limits key length).
		endpoint: { type: DataTypes.TEXT, allowNull: false },
		endpoint_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
		p256dh: { type: DataTypes.STRING(255), allowNull: false },
		auth: { type: DataTypes.STRING(255), allowNull: false },
		created_at: instant(),
	});
	await qi.createTable('webhook_endpoints', {
		id,
		url: { type: DataTypes.STRING(2000), allowNull: false },
		// Kept in clear: the server needs it to sign every body.
		secret: { type: DataTypes.STRING(255), allowNull: false },
		created_by: ref('users', 'SET NULL'),
		created_at: instant(),
	});
	await qi.createTable('webhook_deliveries', {
		id,
		endpoint_id: ref('webhook_endpoints', 'CASCADE', false),
		event_id: { type: DataTypes.STRING(36), allowNull: false },
		event_type: { type: DataTypes.STRING(32), allowNull: false },
		payload: { type: DataTypes.TEXT, allowNull: false },
		status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
		attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
		next_attempt_at: instant(true),
		claimed_by: { type: DataTypes.STRING(64), allowNull: true },
		claimed_at: instant(true),
		last_status: { type: DataTypes.INTEGER, allowNull: true },
		last_error: { type: DataTypes.TEXT, allowNull: true },
		created_at: instant(),
		updated_at: instant(),
	});
	await qi.addIndex('webhook_deliveries', ['status', 'next_attempt_at'], { name: 'webhook_deliveries_due' });
	await qi.addIndex('webhook_deliveries', ['endpoint_id', 'id'], { name: 'webhook_deliveries_endpoint' });

	await qi.addColumn('broadcasts', 'audience', { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'in-building' });
	// deliveries.address comes with the table the jobs migration (2026.11.28T00) made again.
	await qi.createTable('broadcast_recipients', {
		id,
		broadcast_id: ref('broadcasts', 'CASCADE', false),
		user_id: ref('users', 'CASCADE', false),
		status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
		safe_at: instant(true),
		updated_at: instant(),
	});
	await qi.addIndex('broadcast_recipients', ['broadcast_id', 'user_id'], { unique: true, name: 'broadcast_recipients_once' });
}

export async function down({ context: qi }: MigrationParams): Promise<void> {
	await qi.dropTable('broadcast_recipients');
	await qi.removeColumn('broadcasts', 'audience');
	await qi.dropTable('webhook_deliveries');
	await qi.dropTable('webhook_endpoints');
	await qi.dropTable('push_subscriptions');
}
