/**
 * The built app for the fuzz run, started as `npm start` starts it (the e2e
 * way) on a fresh data folder on 127.0.0.1, with a Graph stand-in so the
 * mobile app's login never leaves the machine; plus logging in over HTTP.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { startGraphFake, type RunningGraphFake } from '../fakes/graph.fake';

const run = promisify(execFile);

export const FUZZ_TENANT = 'fuzz-tenant';
export const FUZZ_APP = 'fuzz-mobile-app';

export interface FuzzServer {
	base: string;
	dataDir: string;
	/** Everything the server printed so far (login codes, warnings, errors). */
	output(): string;
	stop(): Promise<void>;
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, attempts = 240): Promise<void> {
	for (let i = 0; i < attempts; i += 1) {
		if (await check()) return;
		await sleep(250);
	}
	throw new Error(`gave up waiting for ${what}`);
}

export async function startFuzzServer(options: { port: number; dir: string }): Promise<FuzzServer> {
	const dataDir = path.resolve(options.dir, 'data');
	rmSync(options.dir, { recursive: true, force: true });
	mkdirSync(dataDir, { recursive: true });
	const graph: RunningGraphFake = await startGraphFake({ port: 0, profiles: {}, isAppToken: async () => false });
	let output = '';
	const child: ChildProcess = spawn('npx', ['tsx', 'server/cli/start.ts'], {
		env: {
			...process.env,
			PORT: String(options.port),
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			DEV_LOGIN: 'on',
			// Scheduled jobs would send reminders on the real clock into the tests' fakes.
			SCHEDULER: 'off',
			NODE_ENV: 'production',
			LOG_LEVEL: 'warn',
			JWT_SECRET: 'fuzz-jwt-secret-for-the-mobile-app-api-0123456789',
			APP_TENANT_ID: FUZZ_TENANT,
			APP_CLIENT_ID: FUZZ_APP,
			MICROSOFT_GRAPH_URL: graph.url,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	child.stdout!.on('data', (chunk) => (output += String(chunk)));
	child.stderr!.on('data', (chunk) => (output += String(chunk)));
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const stop = async () => {
		if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM'); // our own process group only
		await exited;
		await graph.close();
	};
	try {
		await waitFor(() => {
			if (child.exitCode !== null) throw new Error(`the app exited:\n${output}`);
			return output.includes('Building Register is running at');
		}, 'the app to start');
	} catch (error) {
		await stop();
		throw error;
	}
	return { base: `http://127.0.0.1:${options.port}`, dataDir, output: () => output, stop };
}

/** Runs the real CLI on the fuzz server's database, as an operator would. */
export async function createAdmin(server: FuzzServer, email: string): Promise<void> {
	await run('npx', ['tsx', 'server/cli/register.ts', 'create-admin', '--email', email, '--first', 'Fuzz', '--last', 'Admin'], {
		env: { ...process.env, DATA_DIR: server.dataDir, LOG_LEVEL: 'silent' },
	});
}

/** Logs in through the development method over HTTP and returns the session cookie. */
export async function logIn(server: FuzzServer, email: string): Promise<string> {
	const post = (action: string, fields: Record<string, string>) =>
		fetch(`${server.base}/login/dev?/${action}`, {
			method: 'POST',
			body: new URLSearchParams(fields),
			headers: { origin: server.base, 'content-type': 'application/x-www-form-urlencoded' },
			redirect: 'manual',
		});
	const since = server.output().length;
	await post('request', { contact: email });
	const pattern = new RegExp(`Code for ${email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (\\d{6})`);
	let code: string | undefined;
	await waitFor(() => Boolean((code = pattern.exec(server.output().slice(since))?.[1])), `a login code for ${email}`, 80);
	const verified = await post('verify', { contact: email, code: code!, firstName: 'Fuzz', lastName: 'Person' });
	const cookie = /register_session=([^;]+)/.exec(verified.headers.get('set-cookie') ?? '')?.[1];
	if (!cookie) throw new Error(`logging in ${email} gave no session (status ${verified.status})`);
	return `register_session=${cookie}`;
}
