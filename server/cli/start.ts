/**
 * `npm start`: build the app if the sources are newer than the build, then
 * serve it. Migrations run in the server's init hook, so every way of
 * starting the server migrates first.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { config, ConfigError } from '../config';

const root = process.cwd();
const entry = path.join(root, 'build', 'index.js');
const sources = ['src', 'server', 'migrations', 'static', 'package.json', 'svelte.config.js', 'vite.config.ts'];

function newestChange(target: string): number {
	if (!existsSync(target)) return 0;
	const stat = statSync(target);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return readdirSync(target).reduce((newest, name) => Math.max(newest, newestChange(path.join(target, name))), stat.mtimeMs);
}

function buildIfNeeded(): void {
	const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
	const changed = Math.max(...sources.map((s) => newestChange(path.join(root, s))));
	if (built > changed) return;
	console.log(built ? 'Sources changed since the last build: building…' : 'No build yet: building the app (about half a minute)…');
	const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit', cwd: root });
	if (result.status !== 0) {
		console.error('The build failed: see the messages above.');
		process.exit(1);
	}
}

async function main(): Promise<void> {
	let settings;
	try {
		settings = config();
	} catch (error) {
		if (error instanceof ConfigError) {
			console.error(error.message);
			process.exit(1);
		}
		throw error;
	}
	buildIfNeeded();
	// adapter-node reads PORT and HOST itself; config() has validated them.
	const app = (await import(pathToFileURL(entry).href)) as { server?: { server?: Server } };
	const http = app.server?.server;
	if (http && !http.listening) await once(http, 'listening');
	const host = settings.host === '0.0.0.0' || settings.host === '::' ? 'localhost' : settings.host;
	console.log(`Building Register is running at ${settings.origin ?? `http://${host}:${settings.port}`}/`);
}

await main();
