/**
 * `npm start`: build the app if the sources are newer than the build, then
 * serve it with the web and the scheduler in one process. Migrations run in
 * the server's init hook, so every way of starting the server migrates first.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { config, ConfigError, prepareHandlerEnvironment, type Config } from '../config';
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

async function main(): Promise<void> {
	const settings = loadSettings();
	const handlerFile = path.join(settings.buildDir ?? path.join(root, 'build'), 'handler.js');
	if (!settings.buildDir) buildIfNeeded(handlerFile);
	else if (!existsSync(handlerFile)) {
		console.error(`BUILD_DIR ${settings.buildDir} holds no built app (handler.js is missing).`);
		process.exit(1);
	}
	prepareHandlerEnvironment(settings);
	// Importing the handler runs the app's init hook (migrations) before it resolves.
	const { handler } = (await import(pathToFileURL(handlerFile).href)) as { handler: Handler };
	const server = createServer((req, res) => {
		markServedProtocol(req.headers, settings);
		handler(req, res);
	});
	server.listen(settings.port, settings.host);
	await once(server, 'listening');
	const shown = settings.host === '0.0.0.0' || settings.host === '::' ? 'localhost' : settings.host;
	console.log(`Building Register is running at ${settings.origin ?? `http://${shown}:${settings.port}`}/`);

	const stop = () => server.close(() => process.exit(0));
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
}

await main();
