/**
 * `npm run bench` (after the sync benchmark) or `npm run bench:http`: the
 * HTTP benchmark of issue 8. It prints figures; nothing here passes or fails.
 *
 * The built app runs on its own port, first on SQLite (a fresh DATA_DIR),
 * then on a throw-away MariaDB database, each with 1,000 people, one admin
 * and a day in progress (bench/http-seed.ts). autocannon drives each path at
 * 10 and at 100 connections (bench/http-load.ts); the sign-in is also sent
 * at a fixed 100 and 200 requests a second (bench/paced.ts). After the app has stopped, a
 * bare driver loop measures what the database itself can write
 * (bench/db-limit.ts), printed beside the write paths.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { config } from '../server/config';
import { e2eDir } from '../playwright.config';
import { ownServer, type OwnServer } from '../tests/e2e/own-server';
import { mysqlLimit, sqliteLimit, sqliteSyncLimit, type LimitFigures } from './db-limit';
import { pushAll, reportAlone, settle } from './http-fetches';
import { appStatus, formSignIn, measure, report, staffPage, type Load } from './http-load';
import { seedBuilding, type Building } from './http-seed';
import { pacedSignIns } from './paced';
import { printTable, type Row } from './http-table';

const PEOPLE = 1000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const LIMIT_SECONDS = 5;
/**
 * Each path first runs this long, not reported: V8 compiles a path's code
 * while it runs, and a sign-in took about 9 s to reach full speed (389 → 606 → 649
 * → 822 req/s over four 3-second runs), which a 5-second row would have measured instead.
 */
const WARM_SECONDS = Number(process.env.BENCH_WARM_SECONDS ?? 6);
const mysqlUrl = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const jwtSecret = randomBytes(32).toString('hex');

interface Target {
	label: string;
	slot: number;
	databaseUrl: string;
	seed: () => Promise<Building>;
	limit: (userIds: number[], date: string, seconds: number) => Promise<LimitFigures>;
	limitLabel: string;
	/**
	 * Also measure sign-ins with a worker per core: with the database on this
	 * machine npm start leaves it a core (server/config.ts `defaultWorkers`);
	 * these rows show what that choice is worth.
	 */
	workerPerCoreToo?: boolean;
	/** Another bare loop, printed under the table only. */
	alsoLimit?: { label: string; run: (userIds: number[], date: string, seconds: number) => LimitFigures | Promise<LimitFigures> };
}

function portIsFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const probe = createServer();
		probe.once('error', () => resolve(false));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
}

/** The port stops accepting connections once every process of the server has gone. */
async function portClosed(port: number, seconds: number): Promise<void> {
	const until = Date.now() + seconds * 1000;
	while (Date.now() < until && !(await portIsFree(port))) await new Promise((resolve) => setTimeout(resolve, 200));
}

/**
 * SIGKILL, not SIGTERM: a graceful stop would first finish every request
 * still queued inside the app (it does not drop work when a client goes),
 * and on a stalled database that can take minutes. SQLite's WAL survives it.
 */
async function stopServer(server: OwnServer): Promise<void> {
	await server.stop('SIGKILL');
	await portClosed(Number(new URL(server.baseURL).port), 10);
}

async function runPaths(server: OwnServer, building: Building): Promise<{ rows: Row[]; notes: string[] }> {
	const url = server.baseURL;
	const { people } = building;
	const zone = config().buildingTz;
	const rows: Row[] = [];
	const notes: string[] = [];
	/** Paths run since the last (re)start: a row is measured only after its own path has run WARM_SECONDS. */
	const warmed = new Set<string>();
	const warm = async (path: string, load: () => Load) => {
		if (warmed.has(path)) return;
		await measure(url, { ...load(), connections: 10, seconds: WARM_SECONDS }); // not reported
		warmed.add(path);
	};
	// The app keeps working on requests whose clients have gone: a fresh process gives the next run a clean start.
	const restart = async () => {
		await stopServer(server);
		await server.start();
		warmed.clear();
	};
	const recover = async (after: string) => {
		if (await settle(url, people[0]!, 20)) return;
		notes.push(`after ${after}: the app did not answer GET / within 20 s; restarted it for the next run`);
		await restart();
	};
	const run = async (row: Omit<Row, 'figures'>, load: () => Load) => {
		await warm(row.path, load);
		rows.push({ ...row, figures: await measure(url, { ...load(), connections: Number(row.conns), seconds: SECONDS }) });
		await recover(`"${row.path}" at ${row.conns}`);
	};
	const signIns = (): Load => ({ connections: 10, seconds: SECONDS, ...formSignIn(url, people, zone) });
	const reports = (): Load => ({ connections: 10, seconds: SECONDS, requests: report(building.adminSession, building.date) });

	// First, while the day holds exactly the seeded records; then a restart drops the reports still queued.
	await warm('GET /report.json', reports);
	const alone = await reportAlone(url, building.adminSession, building.date, 10);
	for (const connections of [10, 100]) {
		rows.push({ path: 'GET /report.json', conns: String(connections), figures: await measure(url, { ...reports(), connections }) });
	}
	const [at10, at100] = rows.map((row) => (row.figures.reqPerSec > 0 ? `${row.figures.mean.toFixed(1)} ms` : 'no answer'));
	notes.push(
		`report.json for ${building.date}: ${alone.people} people, ${alone.records} records, ${alone.kilobytes.toFixed(0)} KB; server time ` +
			`median ${alone.medianMs.toFixed(1)} ms, mean ${alone.meanMs.toFixed(1)} ms one request at a time after 3 not counted, ${alone.answered} of 10 answered (target ≤ 30 ms), ${at10} at 10 and ${at100} at 100 connections`,
	);
	await restart();

	for (const connections of [10, 100]) {
		await run({ path: 'GET / (logged in)', conns: String(connections) }, () => ({ connections, seconds: SECONDS, requests: staffPage(people) }));
	}
	for (const connections of [10, 100]) await run({ path: 'sign-in POST (form action)', conns: String(connections), write: 'ratio' }, signIns);
	for (const connections of [10, 100]) {
		await run({ path: 'POST /api/app/status', conns: String(connections), write: 'ratio' }, () => ({ connections, seconds: SECONDS, requests: appStatus(url, people) }));
	}
	for (const rate of [100, 200]) {
		await warm('sign-in POST (form action)', signIns);
		const paced = await pacedSignIns(url, people, zone, rate, SECONDS);
		rows.push({ path: `sign-in POST at ${rate} req/s`, conns: `≤${paced.peak}`, figures: paced, write: 'limit' });
		await recover(`"sign-in POST at ${rate} req/s"`);
	}

	await pushAll(url, people.slice(100, 200), 10, 10, 20); // warm-up, not reported
	const pushed = await pushAll(url, people.slice(0, 100), 10, 10, 20);
	rows.push({ path: 'sync.push (actions/s)', conns: '10', figures: pushed, write: 'ratio' });
	notes.push(
		`sync.push: ${pushed.actions} actions from 100 people in 100 batches, 10 at a time: ${pushed.seconds.toFixed(2)} s, ${pushed.applied} applied ` +
			'(p50/p99 per batch; a batch is one transaction for its 10 actions)',
	);
	return { rows, notes };
}

async function bench(target: Target): Promise<void> {
	const name = `bench-http-${target.label.toLowerCase()}`;
	rmSync(path.join(e2eDir, name), { recursive: true, force: true });
	console.log(`\n${target.label}: seeding ${PEOPLE} people…`);
	const began = performance.now();
	const building = await target.seed();
	console.log(`  seeded in ${((performance.now() - began) / 1000).toFixed(1)} s; ${building.people.filter((p) => p.signedIn).length} people signed in on ${building.date}`);
	const server = ownServer({ slot: target.slot, name, env: { DATABASE_URL: target.databaseUrl, JWT_SECRET: jwtSecret, APP_TENANT_ID: 'bench-tenant', APP_CLIENT_ID: 'bench-app' } });
	const port = Number(new URL(server.baseURL).port);
	if (!(await portIsFree(port))) throw new Error(`port ${port} is taken (another run?); set E2E_PORT to move the benchmark's ports`);
	await server.start();
	let measured: { rows: Row[]; notes: string[] };
	try {
		measured = await runPaths(server, building);
	} finally {
		await stopServer(server);
	}
	const perCore = `sign-in POST, WEB_CONCURRENCY=${os.availableParallelism()}`;
	if (target.workerPerCoreToo) {
		await server.start({ WEB_CONCURRENCY: String(os.availableParallelism()) });
		try {
			const signIns = () => formSignIn(server.baseURL, building.people, config().buildingTz);
			await measure(server.baseURL, { connections: 10, seconds: WARM_SECONDS, ...signIns() }); // warm-up, not reported
			for (const connections of [10, 100]) {
				const figures = await measure(server.baseURL, { connections, seconds: SECONDS, ...signIns() });
				measured.rows.push({ path: perCore, conns: String(connections), figures, write: 'ratio' });
			}
		} finally {
			await stopServer(server);
		}
	}
	const ids = building.people.map((p) => p.id);
	// A second of each loop first, not reported, so the driver is as warm as the app was.
	const limit = await target
		.limit(ids, building.date, 1)
		.then(() => target.limit(ids, building.date, LIMIT_SECONDS))
		.catch((error: Error) => error);
	const notes = [...measured.notes];
	if (limit instanceof Error) notes.push(`database limit failed: ${limit.message}`);
	else notes.push(`limit: ${target.limitLabel}: ${limit.writes} sign-in transactions in ${LIMIT_SECONDS} s, ${limit.errors} errors`);
	if (target.alsoLimit) {
		await target.alsoLimit.run(ids, building.date, 1);
		const also = await target.alsoLimit.run(ids, building.date, LIMIT_SECONDS);
		const signIns = measured.rows
			.filter((row) => row.write === 'ratio' && row.path.startsWith('sign-in POST'))
			.map((row) => `${(row.figures.reqPerSec / also.writesPerSec).toFixed(2)} at ${row.conns}${row.path === perCore ? ' (a worker per core)' : ''}`);
		notes.push(`also: ${target.alsoLimit.label}: ${also.writesPerSec.toFixed(0)}/s (${also.writes} in ${LIMIT_SECONDS} s, ${also.errors} errors); sign-in POST is ${signIns.join(', ')} connections of it`);
	}
	printTable(`${target.label}, ${PEOPLE} people, ${SECONDS} s per run`, measured.rows, limit instanceof Error ? undefined : limit.writesPerSec, notes);
}

async function withMysqlDatabase(work: (url: string) => Promise<void>): Promise<void> {
	const name = `register_bench_${randomBytes(4).toString('hex')}`;
	const admin = await mysql.createConnection({ uri: mysqlUrl, connectTimeout: 10_000 });
	await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
	const url = new URL(mysqlUrl);
	url.pathname = `/${name}`;
	try {
		await work(url.toString());
	} finally {
		await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
		await admin.end();
	}
}

const cpus = os.cpus();
const script = process.env.npm_lifecycle_event;
console.log(`HTTP benchmark (issue 8): ${script?.startsWith('bench') ? `npm run ${script} → ` : ''}tsx bench/http.bench.ts`);
console.log(`machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, Node ${process.version}; autocannon runs in this process beside the app`);

const sqliteDir = path.resolve(e2eDir, 'bench-http-sqlite', 'data');
const sqliteFile = path.join(sqliteDir, 'register.sqlite');
/** BENCH_ONLY=sqlite or mysql runs one database's half. */
const only = process.env.BENCH_ONLY;
if (only !== 'mysql') {
	try {
		await bench({
			label: 'SQLite',
			slot: 23,
			databaseUrl: `sqlite:${sqliteFile}`,
			seed: () => seedBuilding({ dialect: 'sqlite', storage: sqliteFile }, jwtSecret, PEOPLE),
			limit: (ids, date, seconds) => sqliteLimit(sqliteFile, ids, date, seconds),
			limitLabel: 'sqlite3, one connection, BEGIN IMMEDIATE … COMMIT one after another, WAL',
			alsoLimit: { label: 'better-sqlite3 (the app writer’s driver), the same loop, prepared, synchronous', run: (ids, date, seconds) => sqliteSyncLimit(sqliteFile, ids, date, seconds) },
		});
	} catch (error) {
		console.log(`SQLite: the benchmark stopped: ${error instanceof Error ? error.message : String(error)}`);
	}
}
if (only !== 'sqlite') {
	try {
		await withMysqlDatabase((databaseUrl) =>
			bench({
				label: 'MariaDB',
				slot: 24,
				databaseUrl,
				seed: () => seedBuilding({ dialect: 'mysql', url: databaseUrl }, jwtSecret, PEOPLE),
				limit: (ids, date, seconds) => mysqlLimit(databaseUrl, ids, date, seconds),
				limitLabel: 'mysql2/promise, a pool of 10, 10 loops at once',
				workerPerCoreToo: true,
				// The SQLite limit's shape (one connection, one transaction after another): printed beside the table's stricter bar.
				alsoLimit: { label: 'mysql2/promise, one connection, one loop', run: (ids, date, seconds) => mysqlLimit(databaseUrl, ids, date, seconds, 1) },
			}),
		);
	} catch (error) {
		console.log(`MariaDB: the benchmark stopped: ${error instanceof Error ? error.message : String(error)}`);
	}
}
