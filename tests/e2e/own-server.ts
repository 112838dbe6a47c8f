/**
 * An app server a test starts, stops and restarts itself (the shared one from
 * playwright.config.ts must keep running): for a restart in the middle of a
 * sync, or a new version deployed while a phone has the old one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { e2eDir, ownServerPort } from '../../playwright.config';

export interface OwnServer {
	baseURL: string;
	log: string;
	dataDir: string;
	/** `env` adds to (or overrides) the server's environment for this start only. */
	start(env?: Record<string, string>): Promise<void>;
	/** SIGKILL by default: a crash, not a goodbye. */
	stop(signal?: NodeJS.Signals): Promise<void>;
}

/** A copy of the shared build, so a test can change it (deploy a "new version") without touching the original. */
export function copyBuild(into: string): string {
	cpSync('build', into, { recursive: true, preserveTimestamps: true });
	return into;
}

/** `slot` picks the port (after the shared server's) and `name` the folder under the e2e folder. */
export function ownServer(spec: { slot: number; name: string; buildDir?: string; env?: Record<string, string> }): OwnServer {
	const options = { ...spec, port: ownServerPort(spec.slot), dir: path.join(e2eDir, spec.name) };
	const dataDir = path.join(options.dir, 'data');
	const log = path.join(options.dir, 'server.log');
	mkdirSync(dataDir, { recursive: true });
	let child: ChildProcess | undefined;
	const buildDir = () => options.buildDir;
	return {
		baseURL: `http://127.0.0.1:${options.port}`,
		log,
		dataDir,
		async start(env = {}) {
			const out = openSync(log, 'a');
			child = spawn('npx', ['tsx', 'server/cli/start.ts'], {
				env: {
					...process.env,
					PORT: String(options.port),
					HOST: '127.0.0.1',
					DATA_DIR: dataDir,
					DEV_LOGIN: 'on',
					NODE_ENV: 'production',
					// Scheduled jobs would send reminders on the real clock into the tests' fakes.
					SCHEDULER: 'off',
					BUILD_DIR: buildDir() ?? path.resolve('build'),
					...options.env,
					...env,
				},
				stdio: ['ignore', out, out],
				detached: true,
			});
			const before = readFileSync(log, 'utf8').length;
			await expect
				.poll(() => readFileSync(log, 'utf8').slice(before).includes('Building Register is running at'), {
					message: 'the server to start',
					timeout: 60_000,
				})
				.toBe(true);
		},
		async stop(signal = 'SIGKILL') {
			if (!child?.pid) return;
			const exited = new Promise((resolve) => child!.once('exit', resolve));
			process.kill(-child.pid, signal); // the whole group: npx, tsx and node
			await exited;
			child = undefined;
		},
	};
}
