/**
 * Not part of `npm run bench`: profiles one path of the built app, one process, on MariaDB or SQLite.
 * `PROFILE_PATH=signin|status|page|report|sync|manifest DIALECT=mysql|sqlite npx tsx bench/profile-path.ts` → .prof/*.cpuprofile
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { config } from '../server/config';
import { e2eDir } from '../playwright.config';
import { spawn } from 'node:child_process';
import { appStatus, formSignIn, measure, report, staffPage } from './http-load';
import { pushAll, reportAlone } from './http-fetches';
import { seedBuilding } from './http-seed';

const which = process.env.PROFILE_PATH ?? 'signin';
const dialect = process.env.DIALECT ?? 'mysql';
const jwtSecret = randomBytes(32).toString('hex');
const profDir = path.resolve('.prof');
mkdirSync(profDir, { recursive: true });
let databaseUrl: string;
let building: Awaited<ReturnType<typeof seedBuilding>>;
let cleanup = async () => {};
if (dialect === 'mysql') {
	const name = `register_prof_${randomBytes(4).toString('hex')}`;
	const admin = await mysql.createConnection({ uri: 'mysql://root@127.0.0.1:3306/test' });
	await admin.query(`CREATE DATABASE \`${name}\``);
	databaseUrl = `mysql://root@127.0.0.1:3306/${name}`;
	building = await seedBuilding({ dialect: 'mysql', url: databaseUrl }, jwtSecret, 1000);
	cleanup = async () => { await admin.query(`DROP DATABASE \`${name}\``); await admin.end(); };
} else {
	const dir = path.resolve(e2eDir, 'prof-sqlite');
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	const file = path.join(dir, 'register.sqlite');
	databaseUrl = `sqlite:${file}`;
	building = await seedBuilding({ dialect: 'sqlite', storage: file }, jwtSecret, 1000);
}
const port = 4391;
const dataDir = path.resolve(e2eDir, 'prof-data');
mkdirSync(dataDir, { recursive: true });
const child = spawn(process.execPath, ['--import', 'tsx', ...(process.env.PROFILE === '0' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profDir}`]), 'server/cli/start.ts'], {
	env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DEV_LOGIN: 'on', NODE_ENV: 'production', BUILD_DIR: path.resolve('build'), DATABASE_URL: databaseUrl, JWT_SECRET: jwtSecret, APP_TENANT_ID: 't', APP_CLIENT_ID: 'c', WEB_CONCURRENCY: '1' },
	stdio: ['ignore', 'inherit', 'inherit'],
});
const url = `http://127.0.0.1:${port}`;
for (let i = 0; i < 100; i++) { try { await fetch(url + '/login'); break; } catch { await new Promise((r) => setTimeout(r, 300)); } }
await measure(url, { connections: 10, seconds: 2, requests: staffPage(building.people) });
const plain = (path: string) => ({ requests: [{ method: 'GET' as const, path }] });
if (which === 'sync') for (let round = 0; round < 5; round++) console.log('sync round', round, await pushAll(url, building.people.slice(round * 100, round * 100 + 100), 10, 10, 60));
if (which === 'report') console.log('report alone', await reportAlone(url, building.adminSession, building.date, 20));
const load = which === 'report' ? { requests: report(building.adminSession, building.date) } : which === 'manifest' ? plain('/manifest.webmanifest') : which === 'health' ? plain('/login') : which === 'signin' ? formSignIn(url, building.people, config().buildingTz) : { requests: which === 'status' ? appStatus(url, building.people) : staffPage(building.people) };
const figures = await measure(url, { connections: 10, seconds: Number(process.env.SECONDS ?? 8), ...load });
console.log(which, dialect, figures);
child.kill('SIGINT');
await new Promise((r) => child.once('exit', r));
await new Promise((r) => setTimeout(r, 1500));
await cleanup();
