/**
 * The whole data model of DESIGN §3, including tables later features fill.
 * Instants are DATETIME(3) in UTC; `date` columns are the building-local date.
 */
import { DataTypes } from 'sequelize';
import type { MigrationParams } from './types';
import { instant, ref } from './columns';

const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };

export async function up({ context: qi }: MigrationParams): Promise<void> {
	await qi.createTable('users', {
		id,
		username: { type: DataTypes.STRING(150), allowNull: false, unique: true },
		first_name: { type: DataTypes.STRING(100), allowNull: false },
		last_name: { type: DataTypes.STRING(100), allowNull: false },
		role: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'staff' },
		created_at: instant(),
		updated_at: instant(),
	});
	await qi.createTable('user_settings', {
		user_id: { ...ref('users', 'CASCADE', false), primaryKey: true },
		reminders: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
		ricked: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
	});
	await qi.createTable('audit_records', {
		id,
		at: instant(),
		ip: { type: DataTypes.STRING(64), allowNull: true },
		user_agent: { type: DataTypes.STRING(512), allowNull: true },
		source: { type: DataTypes.STRING(16), allowNull: false },
		device_id: { type: DataTypes.STRING(64), allowNull: true },
	});
	await qi.createTable('contact_details', {
		id,
		method: { type: DataTypes.STRING(16), allowNull: false },
		value: { type: DataTypes.STRING(255), allowNull: false },
		user_id: ref('users', 'CASCADE', true),
		audit_id: ref('audit_records', 'SET NULL'),
		created_at: instant(),
	});
	await qi.addIndex('contact_details', ['method', 'value'], { unique: true, name: 'contact_details_method_value' });
	await qi.addIndex('contact_details', ['user_id'], { name: 'contact_details_user' });

	await qi.createTable('login_codes', {
		id,
		contact_id: ref('contact_details', 'CASCADE', false),
		code_hash: { type: DataTypes.STRING(128), allowNull: false },
		expires_at: instant(),
		attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
		created_at: instant(),
	});
	// One live code per contact detail: a new request replaces the old row.
	await qi.addIndex('login_codes', ['contact_id'], { unique: true, name: 'login_codes_contact' });

	await qi.createTable('locations', {
		id,
		slug: { type: DataTypes.STRING(64), allowNull: false, unique: true },
		name: { type: DataTypes.STRING(100), allowNull: false },
	});

	await qi.createTable('sign_in_records', {
		id,
		user_id: ref('users', 'CASCADE', false),
		date: { type: DataTypes.DATEONLY, allowNull: false },
		sign_in_at: instant(),
		sign_in_audit_id: ref('audit_records', 'SET NULL'),
		sign_out_at: instant(true),
		sign_out_audit_id: ref('audit_records', 'SET NULL'),
		location_id: ref('locations', 'SET NULL'),
	});
	await qi.addIndex('sign_in_records', ['date', 'user_id'], { name: 'sign_in_records_date_user' });
	await qi.addIndex('sign_in_records', ['user_id', 'date'], { name: 'sign_in_records_user_date' });

	await qi.createTable('actions', {
		id: { type: DataTypes.STRING(36), primaryKey: true, allowNull: false },
		user_id: ref('users', 'CASCADE', false),
		device_id: { type: DataTypes.STRING(64), allowNull: true },
		kind: { type: DataTypes.STRING(32), allowNull: false },
		client_at: instant(),
		received_at: instant(),
		outcome: { type: DataTypes.STRING(16), allowNull: false },
		reason: { type: DataTypes.STRING(64), allowNull: true },
	});
	await qi.addIndex('actions', ['user_id', 'client_at'], { name: 'actions_user_client_at' });

	await qi.createTable('login_tokens', {
		user_id: { ...ref('users', 'CASCADE', false), primaryKey: true },
		token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
		created_at: instant(),
	});
	await qi.createTable('badges', {
		id,
		user_id: ref('users', 'CASCADE', false),
		badge_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
		created_at: instant(),
		revoked_at: instant(true),
	});
	await qi.createTable('sessions', {
		id_hash: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
		user_id: ref('users', 'CASCADE', false),
		created_at: instant(),
		last_seen_at: instant(),
		expires_at: instant(),
		user_agent: { type: DataTypes.STRING(512), allowNull: true },
	});
	await qi.addIndex('sessions', ['user_id'], { name: 'sessions_user' });
	await qi.addIndex('sessions', ['expires_at'], { name: 'sessions_expires_at' });

	await qi.createTable('kiosks', {
		id,
		name: { type: DataTypes.STRING(100), allowNull: false },
		location_id: ref('locations', 'SET NULL'),
		token_hash: { type: DataTypes.STRING(64), allowNull: true, unique: true },
		pairing_code_hash: { type: DataTypes.STRING(64), allowNull: true, unique: true },
		secret: { type: DataTypes.STRING(128), allowNull: false },
		created_at: instant(),
		paired_at: instant(true),
		last_seen_at: instant(true),
		revoked_at: instant(true),
	});
	await qi.createTable('settings', {
		key: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
		value: { type: DataTypes.TEXT, allowNull: false },
		updated_at: instant(),
	});
	await qi.createTable('broadcasts', {
		id,
		message: { type: DataTypes.TEXT, allowNull: false },
		channels: { type: DataTypes.STRING(255), allowNull: false },
		sender_id: ref('users', 'SET NULL'),
		created_at: instant(),
	});
	await qi.createTable('deliveries', {
		id,
		broadcast_id: ref('broadcasts', 'CASCADE', false),
		user_id: ref('users', 'CASCADE', true),
		channel: { type: DataTypes.STRING(16), allowNull: false },
		status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
		error: { type: DataTypes.TEXT, allowNull: true },
		updated_at: instant(),
	});
	await qi.addIndex('deliveries', ['broadcast_id'], { name: 'deliveries_broadcast' });

	await qi.createTable('roll_calls', {
		id,
		started_at: instant(),
		started_by: ref('users', 'SET NULL'),
		ended_at: instant(true),
		ended_by: ref('users', 'SET NULL'),
	});
	await qi.createTable('roll_call_entries', {
		id,
		roll_call_id: ref('roll_calls', 'CASCADE', false),
		user_id: ref('users', 'CASCADE', false),
		status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'missing' },
		marked_at: instant(true),
		marked_by: ref('users', 'SET NULL'),
		action_id: { type: DataTypes.STRING(36), allowNull: true, unique: true },
	});
	await qi.addIndex('roll_call_entries', ['roll_call_id', 'user_id'], {
		unique: true,
		name: 'roll_call_entries_call_user',
	});

	await qi.createTable('job_runs', {
		id,
		job: { type: DataTypes.STRING(64), allowNull: false },
		run_key: { type: DataTypes.STRING(128), allowNull: false },
		claimed_by: { type: DataTypes.STRING(128), allowNull: false },
		started_at: instant(),
		finished_at: instant(true),
	});
	await qi.addIndex('job_runs', ['job', 'run_key'], { unique: true, name: 'job_runs_job_run_key' });
}

/** Tables in reverse order of their foreign keys. */
const tables = [
	'job_runs',
	'roll_call_entries',
	'roll_calls',
	'deliveries',
	'broadcasts',
	'settings',
	'kiosks',
	'sessions',
	'badges',
	'login_tokens',
	'actions',
	'sign_in_records',
	'locations',
	'login_codes',
	'contact_details',
	'audit_records',
	'user_settings',
	'users',
];

export async function down({ context: qi }: MigrationParams): Promise<void> {
	for (const table of tables) await qi.dropTable(table);
}
