/**
 * Attendance facts (issue 7): the `actions` ledger becomes the store of
 * facts that a person's records are folded from. Each fact keeps its event
 * time (`at`, the clamped tap time), the device's sequence number and the
 * audit record of the request that brought it. Ledger rows from before this
 * migration stay as idempotency keys only (`at` null); the records they made
 * are turned into facts here, so the fold starts from the same history.
 *
 * `user_aliases` remembers merged accounts, so an action queued offline
 * under an account that was merged away is still accepted for the kept one.
 */
import { randomUUID } from 'node:crypto';
import { DataTypes } from 'sequelize';
import type { MigrationParams } from './types';

const CHUNK = 1000;

interface RecordRow {
	id: number;
	user_id: number;
	sign_in_at: Date | string;
	sign_in_audit_id: number | null;
	sign_out_at: Date | string | null;
	sign_out_audit_id: number | null;
}

const fact = (userId: number, kind: string, at: Date | string, auditId: number | null) => {
	const instant = new Date(at);
	return {
		id: randomUUID(),
		user_id: userId,
		device_id: null,
		kind,
		client_at: instant,
		received_at: instant,
		outcome: 'applied',
		reason: null,
		at: instant,
		device_seq: null,
		audit_id: auditId,
	};
};

export async function up({ context: qi }: MigrationParams): Promise<void> {
	await qi.addColumn('actions', 'at', { type: DataTypes.DATE(3), allowNull: true });
	await qi.addColumn('actions', 'device_seq', { type: DataTypes.INTEGER, allowNull: true });
	await qi.addColumn('actions', 'audit_id', {
		type: DataTypes.INTEGER,
		allowNull: true,
		references: { model: 'audit_records', key: 'id' },
		onDelete: 'SET NULL',
	});
	await qi.addIndex('actions', ['user_id', 'at'], { name: 'actions_user_at' });
	await qi.createTable('user_aliases', {
		old_user_id: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
		user_id: {
			type: DataTypes.INTEGER,
			allowNull: false,
			references: { model: 'users', key: 'id' },
			onDelete: 'CASCADE',
			onUpdate: 'CASCADE',
		},
	});

	const sequelize = qi.sequelize;
	for (let lastId = 0; ; ) {
		const [rows] = (await sequelize.query(
			'SELECT id, user_id, sign_in_at, sign_in_audit_id, sign_out_at, sign_out_audit_id FROM sign_in_records WHERE id > ? ORDER BY id LIMIT ?',
			{ replacements: [lastId, CHUNK] },
		)) as [RecordRow[], unknown];
		if (rows.length === 0) break;
		const facts = rows.flatMap((r) => [
			fact(r.user_id, 'sign-in', r.sign_in_at, r.sign_in_audit_id),
			...(r.sign_out_at ? [fact(r.user_id, 'sign-out', r.sign_out_at, r.sign_out_audit_id)] : []),
		]);
		await qi.bulkInsert('actions', facts);
		lastId = rows[rows.length - 1]!.id;
	}
}

export async function down({ context: qi }: MigrationParams): Promise<void> {
	await qi.dropTable('user_aliases');
	// Facts made from records by `up` have no device and would read as ledger rows: drop them.
	await qi.sequelize.query("DELETE FROM actions WHERE device_id IS NULL AND at IS NOT NULL AND reason IS NULL AND client_at = received_at");
	await qi.removeIndex('actions', 'actions_user_at');
	await qi.removeColumn('actions', 'audit_id');
	await qi.removeColumn('actions', 'device_seq');
	await qi.removeColumn('actions', 'at');
}
