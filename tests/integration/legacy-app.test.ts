/**
 * The original mobile app's API, through its real route handlers, against a
 * Graph stand-in on 127.0.0.1: the wire format existing apps parse, the
 * claim checks, Graph refusing or missing, and every way to be refused.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { config, resetConfig } from '../../server/config';
import { AuditRecord, SignInRecord } from '../../server/db/models/attendance.model';
import { ContactDetail, ExternalIdentity, User } from '../../server/db/models/people.model';
import { issueLoginToken } from '../../server/domain/identity/login-tokens';
import { POST as appLogin } from '../../src/routes/api/app/login/+server';
import { GET as statusGet, POST as statusPost } from '../../src/routes/api/app/status/+server';
import { brokenGraphToken, startGraphFake, type GraphProfile, type RunningGraphFake } from '../fakes/graph.fake';
import { useTestDatabase } from './support/database';
import { closedPort } from './support/ports';
import { newUser } from './support/factories';

const db = await useTestDatabase();

const JWT_SECRET = 'a-test-secret-for-the-mobile-app-api-0123456789';
const TENANT = '11111111-2222-3333-4444-555555555555';
const APP_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const NINETY_DAYS_S = 90 * 24 * 60 * 60;

let graph: RunningGraphFake;
const profiles: Record<string, GraphProfile> = {};

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
let tokens = 0;
/** A Graph access token as Entra shapes it (a JWT the app cannot verify); the stand-in knows its profile. */
function graphToken(profile: GraphProfile, claims: Record<string, unknown> = { tid: TENANT, appid: APP_ID }, oid = `object-${tokens + 1}`): string {
	tokens += 1;
	const token = `${b64({ typ: 'JWT', alg: 'RS256' })}.${b64({ oid, ...claims })}.c2lnbmF0dXJl`;
	profiles[token] = { id: oid, ...profile };
	return token;
}

const profile = (mail: string | null, givenName: string | null, surname: string | null, upn = mail ?? 'someone@example.com'): GraphProfile => ({
	mail,
	givenName,
	surname,
	userPrincipalName: upn,
});

function event(method: string, path: string, init: { authorization?: string; body?: string } = {}) {
	const headers = new Headers({ 'user-agent': 'BuildingRegisterApp/1.0' });
	if (init.authorization !== undefined) headers.set('authorization', init.authorization);
	if (init.body !== undefined) headers.set('content-type', 'application/json');
	const request = new Request(`http://register.test${path}`, { method, headers, body: init.body });
	return { request, url: new URL(request.url), getClientAddress: () => '198.51.100.4' } as unknown as RequestEvent;
}

type Handler = (e: never) => Response | Promise<Response>;
async function call(handler: Handler, e: RequestEvent): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await (handler as unknown as (e: RequestEvent) => Promise<Response>)(e);
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const login = (authorization?: string) => call(appLogin, event('POST', '/api/app/login', { authorization }));
const status = (authorization: string, body?: string) => call(statusPost, event('POST', '/api/app/status', { authorization, body }));
const statusByGet = (authorization: string) => call(statusGet, event('GET', '/api/app/status', { authorization }));

function useAppSettings(overrides: Partial<ReturnType<typeof config>['legacyApp']> = {}) {
	resetConfig({ ...config(), legacyApp: { jwtSecret: JWT_SECRET, tenantId: TENANT, clientId: APP_ID, graphUrl: graph.url, ...overrides } });
}

beforeAll(async () => {
	graph = await startGraphFake({ port: 0, profiles, isAppToken: async () => false });
});
afterAll(async () => graph?.close());
beforeEach(() => useAppSettings());

async function appUser(first = 'Status', last = 'Person') {
	const email = `${first.toLowerCase()}.${++tokens}@example.com`;
	const answer = await login(`Bearer ${graphToken(profile(email, first, last))}`);
	expect(answer.status).toBe(200);
	return { id: answer.body.user_id as number, token: answer.body.token as string, email };
}

db.describe(`POST /api/app/login (${db.dialect})`, () => {
	it('creates the user from Graph /me and answers exactly the original fields, with a 90-day HS256 token', async () => {
		const answer = await login(`Bearer ${graphToken(profile('Ada.Lovelace@Example.com', 'Ada', 'Lovelace'))}`);
		expect(answer.status).toBe(200);
		expect(Object.keys(answer.body).sort()).toEqual(['token', 'user_first_name', 'user_id', 'user_last_name']);
		const user = await User.findByPk(answer.body.user_id as number);
		expect(answer.body).toMatchObject({ user_id: user!.id, user_first_name: 'Ada', user_last_name: 'Lovelace' });
		expect(typeof answer.body.user_id).toBe('number');

		const { payload, protectedHeader } = await jwtVerify(answer.body.token as string, new TextEncoder().encode(JWT_SECRET));
		expect(protectedHeader.alg).toBe('HS256');
		expect(payload).toMatchObject({ sub: String(user!.id), first_name: 'Ada', last_name: 'Lovelace', iss: 'building-register' });
		expect(payload.exp! - payload.iat!).toBe(NINETY_DAYS_S);

		const contact = await ContactDetail.findOne({ where: { method: 'email', value: 'ada.lovelace@example.com' } });
		expect(contact!.userId).toBe(user!.id);
		const audit = await AuditRecord.findByPk(contact!.auditId!);
		expect(audit).toMatchObject({ source: 'app', ip: '198.51.100.4', userAgent: 'BuildingRegisterApp/1.0' });
	});

	it('logs an existing person in as their own user, keeping their names', async () => {
		const existing = await newUser({ firstName: 'Known', lastName: 'Already', email: 'known.app@example.com' });
		const answer = await login(`Bearer ${graphToken(profile('known.app@example.com', 'Graph', 'Name'))}`);
		expect(answer.body).toMatchObject({ user_id: existing.id, user_first_name: 'Known', user_last_name: 'Already' });
		expect(await User.count({ where: { firstName: 'Graph' } })).toBe(0);
	});

	it('uses the userPrincipalName when Graph has no mail for the account', async () => {
		const answer = await login(`Bearer ${graphToken(profile(null, 'Upn', 'Only', 'upn.only@example.com'))}`);
		expect(answer.status).toBe(200);
		const contact = await ContactDetail.findOne({ where: { method: 'email', value: 'upn.only@example.com' } });
		expect(contact!.userId).toBe(answer.body.user_id);
	});

	it('checks the tenant and app id claims, before calling Graph', async () => {
		const before = graph.meCalls();
		const otherTenant = await login(`Bearer ${graphToken(profile('t@example.com', 'T', 'T'), { tid: 'another-tenant', appid: APP_ID })}`);
		expect(otherTenant).toMatchObject({ status: 401, body: { error: expect.stringMatching(/another organisation/) } });
		const otherApp = await login(`Bearer ${graphToken(profile('t@example.com', 'T', 'T'), { tid: TENANT, appid: 'another-app' })}`);
		expect(otherApp).toMatchObject({ status: 401, body: { error: expect.stringMatching(/another app/) } });
		const opaque = await login('Bearer not-a-jwt-at-all');
		expect(opaque).toMatchObject({ status: 401, body: { error: expect.stringMatching(/not a Microsoft access token/) } });
		expect(graph.meCalls()).toBe(before);
		expect(await ContactDetail.count({ where: { value: 't@example.com' } })).toBe(0);

		const byAzp = await login(`Bearer ${graphToken(profile('azp@example.com', 'Azp', 'Claim'), { tid: TENANT, azp: APP_ID })}`);
		expect(byAzp.status).toBe(200);
	});

	it('links an existing person found by email to their directory account the first time', async () => {
		const existing = await newUser({ firstName: 'Linked', lastName: 'First', email: 'linked.first@example.com' });
		const answer = await login(`Bearer ${graphToken(profile('linked.first@example.com', 'L', 'F'), undefined, 'oid-linked-first')}`);
		expect(answer.body.user_id).toBe(existing.id);
		expect(await ExternalIdentity.findOne({ where: { tenantId: TENANT, objectId: 'oid-linked-first' } })).toMatchObject({ userId: existing.id, provider: 'entra' });
	});

	it('matches a returning person on tenant and object id, so a changed mail still logs them in as themselves', async () => {
		const first = await login(`Bearer ${graphToken(profile('before.rename@example.com', 'Renamed', 'Person'), undefined, 'oid-renamed')}`);
		const again = await login(`Bearer ${graphToken(profile('after.rename@example.com', 'Renamed', 'Person'), undefined, 'oid-renamed')}`);
		expect(again.body.user_id).toBe(first.body.user_id);
		expect(await ExternalIdentity.count({ where: { objectId: 'oid-renamed' } })).toBe(1);
	});

	it('does not let another account that shows someone else\'s mail log in as them', async () => {
		const owner = await login(`Bearer ${graphToken(profile('boss@example.com', 'Real', 'Boss'), undefined, 'oid-real-boss')}`);
		// Another account of the tenant whose editable mail was set to the boss's address.
		const impostor = await login(`Bearer ${graphToken(profile('boss@example.com', 'Im', 'Postor'), undefined, 'oid-impostor')}`);
		expect(impostor.status).toBe(200);
		expect(impostor.body.user_id).not.toBe(owner.body.user_id);
		expect(impostor.body).toMatchObject({ user_first_name: 'Im', user_last_name: 'Postor' });
		const contact = await ContactDetail.findOne({ where: { method: 'email', value: 'boss@example.com' } });
		expect(contact!.userId).toBe(owner.body.user_id);
	});

	it('refuses a token from another tenant even when its mail belongs to a known person', async () => {
		const known = await newUser({ firstName: 'Known', lastName: 'Tenant', email: 'known.tenant@example.com' });
		const answer = await login(`Bearer ${graphToken(profile('known.tenant@example.com', 'K', 'T'), { tid: 'another-tenant', appid: APP_ID })}`);
		expect(answer.status).toBe(401);
		expect(await ExternalIdentity.count({ where: { userId: known.id } })).toBe(0);
	});

	it('refuses a token whose oid claim is not the account Graph answers for', async () => {
		const token = graphToken(profile('mismatch@example.com', 'Mis', 'Match'), { tid: TENANT, appid: APP_ID, oid: 'claimed-oid' }, 'graph-oid');
		const answer = await login(`Bearer ${token}`);
		expect(answer).toMatchObject({ status: 401, body: { error: expect.stringMatching(/which account/) } });
		expect(await ContactDetail.count({ where: { value: 'mismatch@example.com' } })).toBe(0);
	});

	it('answers 503 without calling Graph when the tenant or app id is not configured', async () => {
		useAppSettings({ tenantId: undefined });
		const before = graph.meCalls();
		const answer = await login(`Bearer ${graphToken(profile('noconfig@example.com', 'No', 'Config'))}`);
		expect(answer).toMatchObject({ status: 503, body: { error: expect.stringMatching(/APP_TENANT_ID/) } });
		expect(graph.meCalls()).toBe(before);
	});

	it('answers 401 with a clear message when Graph refuses the token, creating nobody', async () => {
		const users = await User.count();
		const unknown = `${b64({ typ: 'JWT', alg: 'RS256' })}.${b64({ tid: TENANT, appid: APP_ID, oid: 'unknown' })}.c2lnbmF0dXJl`;
		const answer = await login(`Bearer ${unknown}`);
		expect(answer).toMatchObject({ status: 401, body: { error: expect.stringMatching(/Microsoft refused this token/) } });
		expect(await User.count()).toBe(users);
	});

	it('answers 503 when Graph fails or cannot be reached', async () => {
		const broken = await login(`Bearer ${brokenGraphToken({ tid: TENANT, appid: APP_ID, oid: 'broken' })}`);
		expect(broken).toMatchObject({ status: 503, body: { error: expect.stringMatching(/cannot be reached/) } });
		useAppSettings({ graphUrl: `http://127.0.0.1:${await closedPort()}/v1.0` });
		const down = await login(`Bearer ${graphToken(profile('down@example.com', 'Down', 'Graph'))}`);
		expect(down).toMatchObject({ status: 503, body: { error: expect.stringMatching(/cannot be reached/) } });
		expect(await ContactDetail.count({ where: { value: 'down@example.com' } })).toBe(0);
	});

	it('refuses a missing or malformed Authorization header with 401 JSON', async () => {
		for (const header of [undefined, '', 'Bearer', 'Basic dXNlcjpwYXNz', 'LLToken abcdefghijklmnopqrstuvwxyz']) {
			const answer = await login(header);
			expect(answer, String(header)).toMatchObject({ status: 401, body: { error: expect.stringMatching(/Authorization: Bearer/) } });
		}
	});

	it('answers 503 with a clear message when JWT_SECRET is not set, before calling Graph', async () => {
		useAppSettings({ jwtSecret: undefined });
		const before = graph.meCalls();
		const answer = await login(`Bearer ${graphToken(profile('nosecret@example.com', 'No', 'Secret'))}`);
		expect(answer).toMatchObject({ status: 503, body: { error: expect.stringMatching(/JWT_SECRET/) } });
		expect(graph.meCalls()).toBe(before);
	});
});

db.describe(`GET|POST /api/app/status (${db.dialect})`, () => {
	it('reports, signs in on "enter" and out on "exit", with the original fields and status_updated', async () => {
		const person = await appUser('Enter', 'Exit');
		const bearer = `Bearer ${person.token}`;

		const first = await statusByGet(bearer);
		expect(first.status).toBe(200);
		expect(Object.keys(first.body).sort()).toEqual(['first_name', 'in_office', 'last_name', 'status_updated', 'timestamp', 'token']);
		expect(first.body).toMatchObject({ in_office: false, first_name: 'Enter', last_name: 'Exit', timestamp: null, status_updated: false });

		const entered = await status(bearer, JSON.stringify({ action: 'enter' }));
		expect(entered.body).toMatchObject({ in_office: true, status_updated: true });
		const record = await SignInRecord.findOne({ where: { userId: person.id, signOutAt: null } });
		expect(entered.body.timestamp).toBe(record!.signInAt.toISOString());
		expect(await AuditRecord.findByPk(record!.signInAuditId!)).toMatchObject({ source: 'app', ip: '198.51.100.4' });

		const again = await status(bearer, JSON.stringify({ action: 'enter' }));
		expect(again.body).toMatchObject({ in_office: true, status_updated: false, timestamp: entered.body.timestamp });
		expect(await SignInRecord.count({ where: { userId: person.id } })).toBe(1);

		const exited = await status(bearer, JSON.stringify({ action: 'exit' }));
		expect(exited.body).toMatchObject({ in_office: false, status_updated: true, timestamp: null });
		const exitAgain = await status(bearer, JSON.stringify({ action: 'exit' }));
		expect(exitAgain.body).toMatchObject({ in_office: false, status_updated: false });
	});

	it('answers a fresh token that itself works', async () => {
		const person = await appUser();
		const answer = await statusByGet(`Bearer ${person.token}`);
		const { payload } = await jwtVerify(answer.body.token as string, new TextEncoder().encode(JWT_SECRET));
		expect(payload.sub).toBe(String(person.id));
		expect((await statusByGet(`Bearer ${answer.body.token as string}`)).status).toBe(200);
	});

	it('treats an empty POST body as no action', async () => {
		const person = await appUser();
		const answer = await status(`Bearer ${person.token}`, '');
		expect(answer).toMatchObject({ status: 200, body: { in_office: false, status_updated: false } });
	});

	it('stores the push token as a pushtoken contact, moving it from whoever had it before', async () => {
		const first = await appUser('Push', 'First');
		const second = await appUser('Push', 'Second');
		await status(`Bearer ${first.token}`, JSON.stringify({ pushToken: 'ExponentPushToken[abc123]' }));
		const stored = await ContactDetail.findOne({ where: { method: 'pushtoken', value: 'ExponentPushToken[abc123]' } });
		expect(stored!.userId).toBe(first.id);
		expect(await AuditRecord.findByPk(stored!.auditId!)).toMatchObject({ source: 'app' });

		const answer = await status(`Bearer ${second.token}`, JSON.stringify({ action: 'enter', pushToken: 'ExponentPushToken[abc123]' }));
		expect(answer.body).toMatchObject({ in_office: true, status_updated: true });
		const moved = await ContactDetail.findAll({ where: { method: 'pushtoken', value: 'ExponentPushToken[abc123]' } });
		expect(moved.map((c) => c.userId)).toEqual([second.id]);
	});

	it('accepts the personal login token as Authorization: LLToken, and refuses an unknown one', async () => {
		const user = await newUser({ firstName: 'Link', lastName: 'Holder' });
		const token = await issueLoginToken(user.id);
		const answer = await status(`LLToken ${token}`, JSON.stringify({ action: 'enter' }));
		expect(answer).toMatchObject({ status: 200, body: { in_office: true, first_name: 'Link', status_updated: true } });
		const { payload } = await jwtVerify(answer.body.token as string, new TextEncoder().encode(JWT_SECRET));
		expect(payload.sub).toBe(String(user.id));

		const unknown = await status(`LLToken ${'x'.repeat(43)}`, JSON.stringify({ action: 'exit' }));
		expect(unknown).toMatchObject({ status: 401, body: { error: expect.stringMatching(/login token is not valid/) } });
		expect(await SignInRecord.count({ where: { userId: user.id, signOutAt: null } })).toBe(1);
	});

	it('refuses a token signed with another key, an expired one and a malformed one with 401', async () => {
		const person = await appUser();
		const sign = (key: string, exp: number) =>
			new SignJWT({ first_name: 'Status', last_name: 'Person' })
				.setProtectedHeader({ alg: 'HS256' })
				.setSubject(String(person.id))
				.setIssuedAt(exp - NINETY_DAYS_S)
				.setExpirationTime(exp)
				.sign(new TextEncoder().encode(key));
		const now = Math.floor(Date.now() / 1000);
		const forged = await sign('another-key-entirely-another-key-entirely', now + 3600);
		const expired = await sign(JWT_SECRET, now - 60);
		for (const [token, message] of [
			[forged, /not valid/],
			[expired, /expired/],
			['not.a.jwt', /not valid/],
			[person.token.slice(0, -3), /not valid/],
		] as const) {
			const answer = await status(`Bearer ${token}`, JSON.stringify({ action: 'enter' }));
			expect(answer).toMatchObject({ status: 401, body: { error: expect.stringMatching(message) } });
		}
		expect(await SignInRecord.count({ where: { userId: person.id } })).toBe(0);
	});

	it('accepts a token of the original server: numeric sub, any issuer, same key', async () => {
		const person = await appUser('Old', 'Token');
		const now = Math.floor(Date.now() / 1000);
		const old = await new SignJWT({ sub: person.id as unknown as string, first_name: 'Old', last_name: 'Token' })
			.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
			.setIssuer('sf-building-register')
			.setIssuedAt(now)
			.setExpirationTime(now + 3600)
			.sign(new TextEncoder().encode(JWT_SECRET));
		expect(await statusByGet(`Bearer ${old}`)).toMatchObject({ status: 200, body: { first_name: 'Old' } });
	});

	it('refuses a missing or malformed Authorization header with 401 JSON', async () => {
		for (const header of ['', 'Bearer', 'Token abc', 'Bearer two words']) {
			const answer = await status(header, JSON.stringify({ action: 'enter' }));
			expect(answer, header).toMatchObject({ status: 401, body: { error: expect.stringMatching(/Authorization: Bearer <token> or LLToken <token>/) } });
		}
	});

	it('refuses malformed bodies with 400 and a readable message, changing nothing', async () => {
		const person = await appUser();
		const bodies: Array<[string, RegExp]> = [
			['{"action": "dance"}', /action must be "enter" or "exit"/],
			['{"action": "enter", "pushToken": 5}', /pushToken must be a string/],
			['{"action": "enter", "pushToken": ""}', /pushToken must not be empty/],
			[`{"pushToken": "${'p'.repeat(256)}"}`, /at most 255/],
			['action=enter', /must be JSON/],
			['[1, 2]', /.+/],
		];
		for (const [body, message] of bodies) {
			const answer = await status(`Bearer ${person.token}`, body);
			expect(answer, body).toMatchObject({ status: 400, body: { error: expect.stringMatching(message) } });
		}
		expect(await SignInRecord.count({ where: { userId: person.id } })).toBe(0);
		expect(await ContactDetail.count({ where: { method: 'pushtoken', userId: person.id } })).toBe(0);
	});

	it('answers 503 when JWT_SECRET is not set', async () => {
		const user = await newUser();
		const token = await issueLoginToken(user.id);
		useAppSettings({ jwtSecret: undefined });
		const answer = await status(`LLToken ${token}`, JSON.stringify({ action: 'enter' }));
		expect(answer).toMatchObject({ status: 503, body: { error: expect.stringMatching(/JWT_SECRET/) } });
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(0);
	});
});
