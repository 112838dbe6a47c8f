/**
 * `npm run bench`: the sync benchmark of issue 4. It prints figures; nothing
 * here passes or fails on time.
 *
 * 1. Server: 1,000 queued actions from 100 people (10 each, alternating
 *    sign-in and sign-out over the day) pushed to `sync.push` in one batch per
 *    person, 10 requests at a time, against the built app on MariaDB: the
 *    median of three runs after one warm-up run.
 * 2. Browser: the outbox write latency of the staff page in Chromium (median
 *    and p95 over 100 presses while offline), and the JavaScript the staff
 *    page loads, gzip-compressed.
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import mysql from 'mysql2/promise';
import { chromium } from '@playwright/test';
import { resetConfig } from '../server/config';
import { closeDatabase, openDatabase, prepareDatabase } from '../server/db/database';
import { transaction } from '../server/db/database';
import { startSession } from '../server/domain/identity/sessions';
import { createUser } from '../server/domain/people/users';
import { SignInRecord } from '../server/db/models/attendance.model';
import { ownServer } from '../tests/e2e/own-server';
import { pushAll } from './http-fetches';

const PEOPLE = 100;
const ACTIONS_EACH = 10;
const CONCURRENCY = 10;
/** Measured runs, each by people who pushed nothing before, after one run that is not counted (a running server is warm). */
const RUNS = 3;
const mysqlUrl = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
	const name = `register_bench_${randomBytes(4).toString('hex')}`;
	const admin = await mysql.createConnection({ uri: mysqlUrl });
	await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
	const url = new URL(mysqlUrl);
	url.pathname = `/${name}`;
	try {
		return await work(url.toString());
	} finally {
		await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
		await admin.end();
	}
}

async function seedPeople(databaseUrl: string): Promise<string[]> {
	const target = { dialect: 'mysql' as const, url: databaseUrl };
	resetConfig({ database: target, logLevel: 'silent' });
	openDatabase(target);
	await prepareDatabase();
	const tokens: string[] = [];
	for (let i = 0; i < PEOPLE * (RUNS + 1); i++) {
		const user = await transaction((t) => createUser({ firstName: `Bench${i}`, lastName: 'Person' }, t));
		tokens.push(await startSession(user.id, 'bench'));
	}
	return tokens;
}

async function browserFigures(baseURL: string, token: string) {
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	try {
		const context = await browser.newContext({ baseURL });
		await context.addCookies([{ name: 'register_session', value: token, url: baseURL }]);
		const page = await context.newPage();
		let scriptBytes = 0;
		let scriptGzip = 0;
		page.on('response', async (response) => {
			if (response.request().resourceType() !== 'script') return;
			const body = await response.body().catch(() => null);
			if (!body) return;
			scriptBytes += body.length;
			scriptGzip += gzipSync(body, { level: 9 }).length;
		});
		await page.goto('/', { waitUntil: 'networkidle' });
		const js = { files: scriptBytes, gzip: scriptGzip };

		await context.setOffline(true);
		await context.route('**/*', (route) => route.abort('internetdisconnected'));
		for (let i = 0; i < 100; i++) {
			const button = page.getByRole('button', { name: i % 2 === 0 ? 'Sign in' : 'Sign out', exact: true });
			await button.click();
			await page.getByTestId('sync-waiting').getByText(`(${i + 1})`).waitFor();
		}
		const latencies = (await page.evaluate(() => performance.getEntriesByName('outbox-write').map((e) => e.duration))).sort((a, b) => a - b);
		return { js, latencies };
	} finally {
		await browser.close();
	}
}

await withDatabase(async (databaseUrl) => {
	const tokens = await seedPeople(databaseUrl);
	const server = ownServer({ slot: 22, name: 'bench', env: { DATABASE_URL: databaseUrl } });
	await server.start();
	try {
		const people = tokens.map((session, id) => ({ id, session, appToken: '', signedIn: false }));
		const runs = [];
		for (let run = 0; run <= RUNS; run++) runs.push(await pushAll(server.baseURL, people.slice(run * PEOPLE, (run + 1) * PEOPLE), ACTIONS_EACH, CONCURRENCY, 120));
		const measured = runs.slice(1).sort((a, b) => a.seconds - b.seconds);
		const median = measured[Math.floor(measured.length / 2)]!;
		const stored = await SignInRecord.count();
		console.log(`sync.push on MariaDB: ${PEOPLE * ACTIONS_EACH} actions from ${PEOPLE} people in ${PEOPLE} batches, ${CONCURRENCY} at a time`);
		console.log(
			`  median of ${RUNS} runs after a warm-up: ${median.seconds.toFixed(2)} s (target ≤ 1 s), ${(median.actions / median.seconds).toFixed(0)} actions/s, ` +
				`batch p50 ${ms(median.p50)}, p99 ${ms(median.p99)}; runs ${measured.map((r) => r.seconds.toFixed(2)).join(', ')} s; ` +
				`${runs.reduce((sum, r) => sum + r.applied, 0)} applied, ${runs.reduce((sum, r) => sum + r.non2xx + r.errors, 0)} failed, ${stored} records`,
		);

		const { js, latencies } = await browserFigures(server.baseURL, tokens[0]!);
		console.log(`staff page JavaScript: ${(js.files / 1024).toFixed(1)} KB, ${(js.gzip / 1024).toFixed(1)} KB gzip`);
		console.log(`outbox write latency over ${latencies.length} presses: median ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}`);
	} finally {
		await server.stop('SIGTERM');
		await closeDatabase();
	}
});
