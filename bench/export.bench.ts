/**
 * `npm run bench`: the visits export of 250,000 records (issue 10), streamed.
 * Seeds SQLite with 500 people signing in and out on 500 weekdays (bulk
 * inserts), then exports 50,000 and 250,000 records as CSV and XLSX, each in
 * a fresh process, and prints the time and the peak RSS beside the process's
 * RSS before the export: the peak should stay flat as records grow fivefold.
 * The exporting process runs with V8's old space capped at 64 MB, so an
 * export that held its rows would die rather than merely grow (uncapped, V8
 * lets garbage pile up to a larger heap before collecting, which shows as RSS
 * that is not held data).
 * Prints figures; nothing here passes or fails on time.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { QueryTypes } from 'sequelize';

const PEOPLE = 500;
const DAYS = 500;
const dir = path.resolve('.bench-export');
if (!process.env.KEEP_BENCH) rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
process.env.DATA_DIR = path.join(dir, 'data');
process.env.LOG_LEVEL = 'silent';
const { closeDatabase, database, prepareDatabase } = await import('../server/db/database');

/** Weekdays from 2024-01-01 on: 500 of them run into 2025. */
function weekdays(n: number): string[] {
	const days: string[] = [];
	for (let at = Date.parse('2024-01-01T00:00:00Z'); days.length < n; at += 86_400_000) {
		const d = new Date(at);
		if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) days.push(d.toISOString().slice(0, 10));
	}
	return days;
}

async function seed(): Promise<string[]> {
	await prepareDatabase();
	const sql = database();
	const now = new Date().toISOString().replace('T', ' ').replace('Z', ' +00:00');
	const users = Array.from({ length: PEOPLE }, (_, i) => [`bench.person${i}`, 'Bench', `Person${i}`, 'staff', now, now]);
	await sql.query(`INSERT INTO users (username, first_name, last_name, role, created_at, updated_at) VALUES ${users.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`, { replacements: users.flat(), type: QueryTypes.INSERT });
	const ids = (await sql.query<{ id: number }>('SELECT id FROM users ORDER BY id', { type: QueryTypes.SELECT })).map((r) => r.id);
	const days = weekdays(DAYS);
	const started = performance.now();
	await sql.transaction(async (t) => {
		for (const date of days) {
			const rows = ids.map((id, i) => {
				const minute = (i * 7) % 90;
				const inAt = `${date} ${String(8 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00.000 +00:00`;
				// One in fifty forgets to sign out.
				const outAt = i % 50 === 0 ? null : `${date} 17:${String(i % 60).padStart(2, '0')}:00.000 +00:00`;
				return [id, date, inAt, outAt];
			});
			await sql.query(`INSERT INTO sign_in_records (user_id, date, sign_in_at, sign_out_at) VALUES ${rows.map(() => '(?, ?, ?, ?)').join(', ')}`, { replacements: rows.flat(), type: QueryTypes.INSERT, transaction: t });
		}
	});
	console.log(`Seeded ${(PEOPLE * DAYS).toLocaleString('en-GB')} records (${PEOPLE} people × ${DAYS} weekdays) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
	await closeDatabase();
	return days;
}

const run = promisify(execFile);
interface Figures { rows: number; ms: number; peakRssMb: number; baseRssMb: number }

async function exportOnce(format: 'csv' | 'xlsx', from: string, to: string): Promise<Figures & { bytes: number }> {
	const out = path.join(dir, `visits-${from}-${to}.${format}`);
	const { stdout } = await run('npx', ['tsx', 'bench/export-run.ts', 'visits', format, from, to, out], { env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=64' }, maxBuffer: 1 << 20 });
	return { ...(JSON.parse(stdout.trim().split('\n').at(-1)!) as Figures), bytes: statSync(out).size };
}

const days = await seed();
if (process.env.SEED_ONLY) process.exit(0);
const mb = (n: number) => `${n.toFixed(0)} MB`;
console.log('Visits export, streamed in pages of 2,000 (each in a fresh process, old space capped at 64 MB):');
for (const format of ['csv', 'xlsx'] as const) {
	for (const count of [100, DAYS]) {
		const f = await exportOnce(format, days[0]!, days[count - 1]!);
		console.log(
			`  ${format.padEnd(4)} ${f.rows.toLocaleString('en-GB').padStart(7)} rows: ${(f.ms / 1000).toFixed(2)} s (${Math.round(f.rows / (f.ms / 1000)).toLocaleString('en-GB')} rows/s), ` +
				`peak RSS ${mb(f.peakRssMb)} (before the export ${mb(f.baseRssMb)}), file ${(f.bytes / 1e6).toFixed(1)} MB`,
		);
	}
}
if (!process.env.KEEP_BENCH) rmSync(dir, { recursive: true, force: true });
