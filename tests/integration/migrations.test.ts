import { expect, it } from 'vitest';
import { database, migrator } from '../../server/db/database';
import { Action } from '../../server/db/models/attendance.model';
import { useTestDatabase } from './support/database';

const db = await useTestDatabase();

const designTables = [
	'actions', 'audit_records', 'badges', 'broadcast_recipients', 'broadcasts', 'contact_details', 'daily_counts', 'deliveries', 'external_identities',
	'job_runs', 'kiosks', 'locations', 'login_codes', 'login_tokens', 'push_subscriptions', 'rate_limits', 'roll_call_entries', 'roll_call_marks',
	'roll_call_names', 'roll_calls', 'sessions', 'settings', 'sign_in_records', 'user_aliases', 'user_settings', 'users', 'webhook_deliveries',
	'webhook_endpoints',
];

async function tableNames(): Promise<string[]> {
	const raw = (await database().getQueryInterface().showAllTables()) as Array<string | { tableName: string }>;
	return raw.map((t) => (typeof t === 'string' ? t : t.tableName)).filter((t) => t !== 'migrations_meta').sort();
}

async function indexes(table: string): Promise<Array<{ name: string; unique: boolean; fields: string[] }>> {
	const raw = (await database().getQueryInterface().showIndex(table)) as Array<{
		name: string;
		unique: boolean;
		fields: Array<{ attribute: string }>;
	}>;
	return raw.map((i) => ({ name: i.name, unique: Boolean(i.unique), fields: i.fields.map((f) => f.attribute) }));
}

db.describe(`migrations (${db.dialect})`, () => {
	it('creates every table of the data model', async () => {
		expect(await tableNames()).toEqual(designTables);
	});

	it('creates the unique keys and indexes the rules rely on', async () => {
		const has = async (table: string, fields: string[], unique: boolean) =>
			expect((await indexes(table)).some((i) => i.unique === unique && i.fields.join() === fields.join())).toBe(true);
		await has('contact_details', ['method', 'value'], true);
		await has('users', ['username'], true);
		await has('login_codes', ['contact_id'], true);
		await has('login_tokens', ['token_hash'], true);
		await has('badges', ['badge_hash'], true);
		await has('job_runs', ['job', 'run_key'], true);
		await has('roll_call_entries', ['roll_call_id', 'user_id'], true);
		await has('sign_in_records', ['date', 'user_id'], false);
		await has('sign_in_records', ['user_id', 'date'], false);
		await has('push_subscriptions', ['endpoint_hash'], true);
		await has('broadcast_recipients', ['broadcast_id', 'user_id'], true);
		await has('webhook_deliveries', ['status', 'next_attempt_at'], false);
	});

	it('reverts every migration and applies them again', async () => {
		const all = await migrator().executed();
		await migrator().down({ to: 0 });
		expect(await tableNames()).toEqual([]);
		const again = await migrator().up();
		expect(again.map((m) => m.name)).toEqual(all.map((m) => m.name));
		expect(await tableNames()).toEqual(designTables);
	});

	it('turns the sign-in records made before the fold into facts, so the fold starts from the same history', async () => {
		await migrator().down({ to: '2026.11.24T03.00.00.attendance-facts' });
		const sql = database();
		await sql.query("INSERT INTO users (username, first_name, last_name, role, created_at, updated_at) VALUES ('ada.l', 'Ada', 'L', 'staff', '2026-01-01 00:00:00', '2026-01-01 00:00:00')");
		const [[user]] = (await sql.query("SELECT id FROM users WHERE username = 'ada.l'")) as [Array<{ id: number }>, unknown];
		await sql.query(
			"INSERT INTO sign_in_records (user_id, date, sign_in_at, sign_out_at) VALUES (?, '2026-01-12', '2026-01-12 08:00:00', '2026-01-12 17:00:00'), (?, '2026-01-13', '2026-01-13 09:00:00', NULL)",
			{ replacements: [user!.id, user!.id] },
		);
		await migrator().up();
		const facts = await Action.findAll({ where: { userId: user!.id }, order: [['at', 'ASC']] });
		expect(facts.map((f) => [f.kind, f.at!.toISOString(), f.outcome])).toEqual([
			['sign-in', '2026-01-12T08:00:00.000Z', 'applied'],
			['sign-out', '2026-01-12T17:00:00.000Z', 'applied'],
			['sign-in', '2026-01-13T09:00:00.000Z', 'applied'],
		]);
	});
});
