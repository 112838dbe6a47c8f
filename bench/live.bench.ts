/**
 * `npm run bench` (or `npm run bench:live`): the live view's fan-out
 * (issue 10). 200 admin streams are open over real HTTP connections to the
 * same code the /admin/live endpoint runs (the live feed and its SSE
 * writer), then people sign in one after another. For each sign-in: the
 * time from its commit (an `on('signed-in')` listener, which runs right
 * after the transaction commits) until its change has arrived, parsed, on
 * all 200 streams. Once with the in-process bus, once through Redis pub/sub
 * (a second bus on its own connection serves the streams, as another
 * instance would). It prints figures; nothing here passes or fails.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { Redis } from 'ioredis';
import { resetConfig } from '../server/config';
import { closeDatabase, openDatabase, prepareDatabase, transaction } from '../server/db/database';
import { recordAttendance } from '../server/domain/attendance/attendance';
import { LiveFeed } from '../server/domain/attendance/live-feed';
import { EventBus, events } from '../server/domain/shared/events';
import { createUser } from '../server/domain/people/users';
import { redisTransport } from '../server/integrations/redis';
import { liveStreamResponse } from '../server/web/live-stream';

const STREAMS = 200;
const SIGN_INS = Number(process.env.BENCH_LIVE_SIGN_INS ?? 50);
const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Serves the live feed's SSE stream on a real port. */
function streamServer(feed: LiveFeed): Promise<{ server: Server; port: number }> {
	const server = createServer((req, res) => {
		const abort = new AbortController();
		req.on('close', () => abort.abort());
		const response = liveStreamResponse(feed, null, abort.signal);
		res.writeHead(200, Object.fromEntries(response.headers));
		Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>).pipe(res);
	});
	server.keepAliveTimeout = 0;
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

/** Opens the streams; each parsed presence change is reported as (userId, arrival time). */
async function openStreams(port: number, arrived: (userId: number, at: number) => void): Promise<IncomingMessage[]> {
	const open = Array.from({ length: STREAMS }, () =>
		new Promise<IncomingMessage>((resolve, reject) => {
			const request = get({ host: '127.0.0.1', port, path: '/admin/live', agent: false }, (response) => {
				let buffer = '';
				let snapshotSeen = false;
				response.setEncoding('utf8');
				response.on('data', (chunk: string) => {
					buffer += chunk;
					const blocks = buffer.split('\n\n');
					buffer = blocks.pop()!;
					for (const block of blocks) {
						if (block.includes('event: snapshot') && !snapshotSeen) {
							snapshotSeen = true;
							resolve(response);
						}
						if (!block.includes('event: presence')) continue;
						const data = block.split('\n').find((line) => line.startsWith('data: '))!;
						arrived((JSON.parse(data.slice(6)) as { userId: number }).userId, performance.now());
					}
				});
			});
			request.on('error', reject);
		}),
	);
	return Promise.all(open);
}

async function run(label: string, feedBus: EventBus, userIds: number[]): Promise<void> {
	const feed = new LiveFeed();
	const detach = feed.attach(feedBus);
	const { server, port } = await streamServer(feed);
	const committedAt = new Map<number, number>();
	const pending = new Map<number, { count: number; done: (at: number) => void }>();
	const offCommit = events.on('signed-in', (e) => void committedAt.set(e.userId, performance.now()));
	const responses = await openStreams(port, (userId, at) => {
		const waiting = pending.get(userId);
		if (waiting && ++waiting.count === STREAMS) waiting.done(at);
	});
	const latencies: number[] = [];
	for (const userId of userIds) {
		const allArrived = new Promise<number>((resolve) => pending.set(userId, { count: 0, done: resolve }));
		await recordAttendance({ userId, kind: 'sign-in', audit: { ip: '127.0.0.1', userAgent: 'bench', source: 'web' } });
		const lastArrival = await allArrived;
		latencies.push(lastArrival - committedAt.get(userId)!);
		pending.delete(userId);
	}
	for (const response of responses) response.destroy();
	offCommit();
	detach();
	await new Promise((resolve) => server.close(resolve));
	latencies.sort((a, b) => a - b);
	console.log(
		`  ${label.padEnd(22)} ${STREAMS} streams, ${latencies.length} sign-ins: commit → all ${STREAMS} streams median ${percentile(latencies, 50).toFixed(2)} ms, ` +
			`p95 ${percentile(latencies, 95).toFixed(2)} ms, max ${latencies.at(-1)!.toFixed(2)} ms`,
	);
}

async function redisAnswers(): Promise<boolean> {
	const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
	probe.on('error', () => {});
	try {
		await probe.connect();
		return (await probe.ping()) === 'PONG';
	} catch {
		return false;
	} finally {
		probe.disconnect();
	}
}

async function main(): Promise<void> {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'register-live-bench-'));
	const target = { dialect: 'sqlite' as const, storage: path.join(dataDir, 'bench.sqlite') };
	resetConfig({ database: target, dataDir, logLevel: 'silent' });
	openDatabase(target);
	await prepareDatabase();
	const users = [];
	for (let i = 0; i < SIGN_INS * 2; i++) users.push(await transaction((t) => createUser({ firstName: `Live${i}`, lastName: 'Bench' }, t)));
	const ids = users.map((u) => u.id);
	console.log('\nLive view fan-out (SQLite; the streams and the sign-ins in one process, streams over HTTP on 127.0.0.1)');
	try {
		await run('in-process bus', events, ids.slice(0, SIGN_INS));
		if (await redisAnswers()) {
			const channel = `bench:${randomUUID()}`;
			const otherInstance = new EventBus();
			await events.connect(redisTransport(redisUrl, channel));
			await otherInstance.connect(redisTransport(redisUrl, channel));
			await run('through Redis pub/sub', otherInstance, ids.slice(SIGN_INS));
			await Promise.all([events.disconnect(), otherInstance.disconnect()]);
		} else {
			console.log(`  through Redis pub/sub: skipped, no Redis at ${redisUrl}`);
		}
	} finally {
		await closeDatabase();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

await main();
