/**
 * A database outage is answered, not hung: with MariaDB silent (a proxy that
 * stops forwarding) or refusing connections, the staff page, the tRPC API and
 * the mobile app's API answer 503 with Retry-After, and they come back by
 * themselves when the database does. MariaDB only: SQLite has no network to
 * lose. Each test's vitest timeout is the "does not hang" guard.
 */
import { randomUUID } from 'node:crypto';
import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toSessionUser } from '../../server/api/context';
import { config, resetConfig } from '../../server/config';
import { closeDatabase, openDatabase } from '../../server/db/database';
import { issueLoginToken } from '../../server/domain/identity/login-tokens';
import { startSession } from '../../server/domain/identity/sessions';
import { handle } from '../../src/hooks.server';
import { GET as trpcGet, POST as trpcPost } from '../../src/routes/api/trpc/[...trpc]/+server';
import { GET as appStatusGet } from '../../src/routes/api/app/status/+server';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { useTestDatabase } from './support/database';
import { newUser } from './support/factories';

const db = await useTestDatabase();
const describeMysql = db.dialect === 'mysql' ? db.describe : (name: string, body: () => void) => db.describe(name, () => it.skip('needs MariaDB', body));

let proxy: TcpProxy;
let sessionToken: string;
let loginToken: string;
let user: Awaited<ReturnType<typeof newUser>>;

function event(method: string, path: string, init: { cookie?: string; authorization?: string; body?: string } = {}): RequestEvent {
	const headers = new Headers({ 'user-agent': 'vitest', origin: 'http://register.test' });
	if (init.authorization) headers.set('authorization', init.authorization);
	if (init.body) headers.set('content-type', 'application/json');
	const request = new Request(`http://register.test${path}`, { method, headers, body: init.body });
	return {
		request,
		url: new URL(request.url),
		cookies: { get: (name: string) => (name === 'register_session' ? init.cookie : undefined), set() {}, delete() {} },
		locals: { user: toSessionUser(user), sessionToken },
		getClientAddress: () => '127.0.0.1',
		route: { id: null },
		params: {},
	} as unknown as RequestEvent;
}

type Answer = { status: number; retryAfter: string | null; body: string };
const answer = async (response: Response | Promise<Response>): Promise<Answer> => {
	const r = await response;
	return { status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.text() };
};

/** The staff page through the hook: its session look-up is the first query any page makes. */
const staffPage = () => answer(handle({ event: event('GET', '/', { cookie: sessionToken }), resolve: async () => new Response('the staff page') }));
const status = () => answer(trpcGet(event('GET', '/api/trpc/attendance.status') as never));
const push = () =>
	answer(
		trpcPost(
			event('POST', '/api/trpc/sync.push', {
				body: JSON.stringify({ schemaVersion: 1, actions: [{ id: randomUUID(), kind: 'sign-in', clientAt: new Date().toISOString(), deviceId: 'phone-1' }] }),
			}) as never,
		),
	);
const appStatus = () => answer(appStatusGet(event('GET', '/api/app/status', { authorization: `LLToken ${loginToken}` }) as never));

const all = async () => ({ staffPage: await staffPage(), status: await status(), push: await push(), appStatus: await appStatus() });

/**
 * Each call again until it answers 200, at most ten times: the pool can hand a
 * request or two the refusal of a connection attempt it made during the cut.
 */
async function allAfterRecovery(): Promise<Record<string, Answer>> {
	const calls = { staffPage, status, push, appStatus };
	const answers: Record<string, Answer> = {};
	for (const [name, call] of Object.entries(calls)) {
		for (let attempt = 0; attempt < 10 && answers[name]?.status !== 200; attempt += 1) {
			answers[name] = await call();
			await new Promise((resolve) => setImmediate(resolve));
		}
	}
	return answers;
}

function expectAllOk(answers: Record<string, Answer>) {
	for (const [name, a] of Object.entries(answers)) expect({ name, status: a.status }).toEqual({ name, status: 200 });
}

function expectAllUnavailable(answers: Record<string, Answer>) {
	for (const [name, a] of Object.entries(answers)) {
		expect({ name, status: a.status, retryAfter: a.retryAfter }).toEqual({ name, status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
		expect(a.body).not.toMatch(/SELECT|INSERT|ECONN|at .*\.js|\/work\//);
	}
}

describeMysql(`a database outage (${db.dialect})`, () => {
	beforeAll(async () => {
		user = await newUser({ firstName: 'Outage' });
		sessionToken = await startSession(user.id, 'vitest');
		loginToken = await issueLoginToken(user.id);
		const target = config().database;
		if (target.dialect !== 'mysql') return;
		const url = new URL(target.url);
		proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 3306) });
		url.host = `127.0.0.1:${proxy.port}`;
		resetConfig({
			...config(),
			databaseTimeoutMs: 1000,
			legacyApp: { ...config().legacyApp, jwtSecret: 'a-test-secret-for-the-outage-test-0123456789' },
		});
		await closeDatabase();
		openDatabase({ dialect: 'mysql', url: url.toString() });
	});
	afterAll(async () => {
		await closeDatabase();
		await proxy?.close();
	});

	it('answers normally through the proxy', { timeout: 10_000 }, async () => {
		expectAllOk(await all());
	});

	it('answers 503 with Retry-After while the database is silent, and recovers when it answers again', { timeout: 20_000 }, async () => {
		proxy.pause();
		expectAllUnavailable(await all());
		await proxy.resume();
		expectAllOk(await allAfterRecovery());
	});

	it('answers 503 with Retry-After while connections are refused, and recovers when they are accepted', { timeout: 20_000 }, async () => {
		await proxy.cut();
		expectAllUnavailable(await all());
		await proxy.resume();
		expectAllOk(await allAfterRecovery());
	});
});
