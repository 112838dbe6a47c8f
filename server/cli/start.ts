/**
 * `npm start`: build the app if the sources are newer than the build, then
 * serve it with the web and the scheduler in one process. Migrations run in
 * the server's init hook, so every way of starting the server migrates first.
 */
import { spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { config, ConfigError, prepareHandlerEnvironment, type Config } from '../config';
import { closeDatabase, prepareDatabase } from '../db/database';
import { markServedProtocol } from './served-protocol';

const root = process.cwd();
const sources = ['src', 'server', 'migrations', 'static', 'package.json', 'svelte.config.js', 'vite.config.ts'];

function newestChange(target: string): number {
	if (!existsSync(target)) return 0;
	const stat = statSync(target);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return readdirSync(target).reduce((newest, name) => Math.max(newest, newestChange(path.join(target, name))), stat.mtimeMs);
}

function buildIfNeeded(handlerFile: string): void {
	const built = existsSync(handlerFile) ? statSync(handlerFile).mtimeMs : 0;
	const changed = Math.max(...sources.map((s) => newestChange(path.join(root, s))));
	if (built > changed) return;
	console.log(built ? 'Sources changed since the last build: building…' : 'No build yet: building the app (about half a minute)…');
	const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit', cwd: root });
	if (result.status !== 0) {
		console.error('The build failed: see the messages above.');
		process.exit(1);
	}
}

function loadSettings(): Config {
	try {
		return config();
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error;
		console.error(error.message);
		process.exit(1);
	}
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function publicUrl(settings: Config): string {
	const shown = settings.host === '0.0.0.0' || settings.host === '::' ? 'localhost' : settings.host;
	return `${settings.origin ?? `http://${shown}:${settings.port}`}/`;
}

/**
 * Every core used (MySQL): the primary migrates once, then forks
 * WEB_CONCURRENCY workers that share the port. Only the first worker is
 * marked to run scheduled jobs. A worker that dies is replaced.
 */
async function runWorkers(settings: Config): Promise<void> {
	try {
		const applied = await prepareDatabase();
		if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
		await closeDatabase();
	} catch (error) {
		console.error(`Building Register cannot start: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	}
	let listening = 0;
	let stopping = false;
	const fork = (slot: number) => {
		const worker = cluster.fork({ WORKER_SLOT: String(slot) });
		let up = false;
		worker.on('message', (message) => {
			if (message !== 'listening') return;
			up = true;
			listening += 1;
			if (listening === settings.webConcurrency) console.log(`Building Register is running at ${publicUrl(settings)} (${listening} workers)`);
		});
		worker.on('exit', (code) => {
			if (stopping) return;
			// One that never came up (port taken, bad build) would fail again: stop rather than loop.
			if (!up) {
				console.error(`Building Register cannot start: worker ${slot} stopped before it was listening (${code ?? 'signal'}).`);
				stopping = true;
				for (const other of Object.values(cluster.workers ?? {})) other?.kill('SIGTERM');
				process.exit(1);
			}
			console.error(`Worker ${slot} stopped (${code ?? 'signal'}); starting another.`);
			fork(slot);
		});
	};
	for (let slot = 1; slot <= settings.webConcurrency; slot += 1) fork(slot);
	const stop = () => {
		stopping = true;
		for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
		setTimeout(() => process.exit(0), 5_000).unref();
		cluster.on('exit', () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0));
	};
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
}

async function main(): Promise<void> {
	const settings = loadSettings();
	const handlerFile = path.join(settings.buildDir ?? path.join(root, 'build'), 'handler.js');
	if (!settings.buildDir) buildIfNeeded(handlerFile);
	else if (!existsSync(handlerFile)) {
		console.error(`BUILD_DIR ${settings.buildDir} holds no built app (handler.js is missing).`);
		process.exit(1);
	}
	if (settings.webConcurrency > 1 && cluster.isPrimary) return runWorkers(settings);
	// Only in the process that serves: workers inherit the primary's environment, and would read it as configuration.
	prepareHandlerEnvironment(settings);
	// tsx turns source maps on for its own TypeScript; the built handler has none, and with them on
	// every Error (Sequelize makes one per statement) pays for a source-map lookup of its stack.
	process.setSourceMapsEnabled(false);
	// Importing the handler runs the app's init hook (migrations) before it resolves.
	const { handler } = (await import(pathToFileURL(handlerFile).href)) as { handler: Handler };
	const server = createServer((req, res) => {
		markServedProtocol(req.headers, settings);
		handler(req, res);
	});
	server.listen(settings.port, settings.host);
	await once(server, 'listening');
	if (cluster.isWorker) {
		process.send?.('listening');
	} else {
		console.log(`Building Register is running at ${publicUrl(settings)}`);
	}

	const stop = () => server.close(() => process.exit(0));
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
}

await main();
