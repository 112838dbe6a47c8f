/**
 * Issue 11, scheduled jobs. `deliveries` is made again (nothing wrote it
 * before this issue) so that a row belongs to a broadcast *or* to a job run,
 * says what it was (`kind`: broadcast, reminder, reminder_pm,
 * did-not-sign-out) and where it went. `job_runs` keeps the running
 * instance's heartbeat (a run whose heartbeat stops is taken over) and why
 * a run failed.
 * A record the end-of-day job finds still open past the maximum shift is
 * flagged `did_not_sign_out_at` (no sign-out time is invented), and
 * `left_notice_at` says the person was sent the "I left at…" link.
 * `daily_counts` keeps each date's anonymous figures once retention has
 * deleted its records.
 */
import { DataTypes } from 'sequelize';
import type { MigrationParams } from './types';
import { instant, ref } from './columns';


export async function up({ context: qi }: MigrationParams): Promise<void> {
	await qi.dropTable('deliveries');
	await qi.createTable('deliveries', {
		id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
		kind: { type: DataTypes.STRING(32), allowNull: false },
		broadcast_id: ref('broadcasts', 'CASCADE', true),
		job_run_id: ref('job_runs', 'CASCADE', true),
		user_id: ref('users', 'CASCADE', true),
		channel: { type: DataTypes.STRING(16), allowNull: false },
		address: { type: DataTypes.STRING(255), allowNull: true },
		status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
		error: { type: DataTypes.TEXT, allowNull: true },
		created_at: instant(),
		updated_at: instant(),
	});
	await qi.addIndex('deliveries', ['broadcast_id'], { name: 'deliveries_broadcast' });
	await qi.addIndex('deliveries', ['job_run_id'], { name: 'deliveries_job_run' });
	await qi.addIndex('deliveries', ['user_id'], { name: 'deliveries_user' });

	await qi.addColumn('job_runs', 'heartbeat_at', instant(true));
	await qi.addColumn('job_runs', 'error', { type: DataTypes.TEXT, allowNull: true });
	await qi.addColumn('sign_in_records', 'did_not_sign_out_at', instant(true));
	await qi.addColumn('sign_in_records', 'left_notice_at', instant(true));
	await qi.createTable('daily_counts', {
		date: { type: DataTypes.DATEONLY, primaryKey: true, allowNull: false },
		distinct_users: { type: DataTypes.INTEGER, allowNull: false },
		not_signed_out: { type: DataTypes.INTEGER, allowNull: false },
	});
}

export async function down({ context: qi }: MigrationParams): Promise<void> {
	await qi.dropTable('daily_counts');
	await qi.removeColumn('sign_in_records', 'left_notice_at');
	await qi.removeColumn('sign_in_records', 'did_not_sign_out_at');
	await qi.removeColumn('job_runs', 'error');
	await qi.removeColumn('job_runs', 'heartbeat_at');
	await qi.dropTable('deliveries');
	await qi.createTable('deliveries', {
		id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
		broadcast_id: { ...ref('broadcasts', 'CASCADE', true), allowNull: false },
		user_id: ref('users', 'CASCADE', true),
		channel: { type: DataTypes.STRING(16), allowNull: false },
		status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
		error: { type: DataTypes.TEXT, allowNull: true },
		updated_at: instant(),
	});
	await qi.addIndex('deliveries', ['broadcast_id'], { name: 'deliveries_broadcast' });
}
