/** `npm start` on MySQL uses every core: the primary migrates once and forks WEB_CONCURRENCY workers on one port. */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import mysql from 'mysql2/promise';
import { ownServer } from './own-server';

const mysqlUrl = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

test('on MariaDB, npm start serves from two worker processes after migrating once', async ({ request }) => {
	test.slow();
	const name = `register_workers_${process.pid}`;
	const admin = await mysql.createConnection({ uri: mysqlUrl });
	await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
	await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
	const url = new URL(mysqlUrl);
	url.pathname = `/${name}`;
	const server = ownServer({ slot: 7, name: 'workers', env: { DATABASE_URL: url.toString(), WEB_CONCURRENCY: '2' } });
	try {
		await server.start();
		const log = readFileSync(server.log, 'utf8');
		expect(log).toContain('(2 workers)');
		// Each worker logs "ready" once, from a process of its own.
		const pids = new Set(log.split('\n').filter((line) => line.includes('"msg":"ready"')).map((line) => (JSON.parse(line) as { pid: number }).pid));
		expect(pids.size).toBe(2);
		expect((await request.get(`${server.baseURL}/login`)).status()).toBe(200);
		// A same-origin API post is judged as such by every worker (not refused as cross-site): 401 for a stranger.
		const post = await request.post(`${server.baseURL}/api/trpc/sync.push`, { headers: { origin: server.baseURL }, data: { schemaVersion: 1, actions: [] } });
		expect(post.status()).toBe(401);
		const [rows] = (await admin.query(`SELECT COUNT(*) AS n FROM \`${name}\`.migrations_meta`)) as unknown as [Array<{ n: number }>];
		expect(Number(rows[0]!.n)).toBeGreaterThan(0);
	} finally {
		await server.stop('SIGTERM');
		await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
		await admin.end();
	}
});
