/**
 * Microsoft login through openid-client against a real OpenID Connect
 * provider on 127.0.0.1 (oidc-provider standing in for Entra ID): the code
 * flow with PKCE, state and nonce, and every way the answer is refused.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { config, resetConfig, type MicrosoftConfig } from '../../server/config';
import { AuditRecord } from '../../server/db/models/attendance.model';
import { ContactDetail, Session, User } from '../../server/db/models/people.model';
import { loginMethods } from '../../server/domain/identity/login-methods';
import { finishMicrosoftLogin, startMicrosoftLogin } from '../../server/domain/identity/microsoft-login';
import { sha256 } from '../../server/domain/identity/secrets';
import { signInAtProvider, startOidcFake, type FakeAccount, type RunningOidcFake } from '../fakes/oidc.fake';
import { useTestDatabase } from './support/database';
import { closedPort } from './support/ports';
import { newUser, webAudit } from './support/factories';

const db = await useTestDatabase();

const APP = 'http://register.test';
const REDIRECT_URI = `${APP}/login/microsoft/callback`;
const accounts: FakeAccount[] = [
	{ id: 'ada', email: 'Ada@Example.com', given_name: 'Ada', family_name: 'Lovelace', name: 'Ada Lovelace' },
	{ id: 'upn-only', preferred_username: 'grace.hopper@example.com', name: 'Grace Brewster Hopper' },
	{ id: 'unverified', email: 'someone.else@example.com', email_verified: false, preferred_username: 'real.person@example.com', given_name: 'Real', family_name: 'Person' },
	{ id: 'no-email', preferred_username: 'just-a-name', given_name: 'No', family_name: 'Email' },
	{ id: 'known', email: 'known.ms@example.com', given_name: 'Other', family_name: 'Names' },
];

let provider: RunningOidcFake;
let userinfoProvider: RunningOidcFake;

function microsoft(authority: string): MicrosoftConfig {
	return { tenantId: 'tenant', clientId: 'register-app', clientSecret: 'register-secret', authority, graphUrl: 'http://127.0.0.1:9/v1.0' };
}
const useAuthority = (authority: string) => resetConfig({ ...config(), microsoft: microsoft(authority), microsoftLogin: true });

const fakeOptions = { port: 0, clientId: 'register-app', clientSecret: 'register-secret', redirectUris: [REDIRECT_URI], accounts };

beforeAll(async () => {
	provider = await startOidcFake(fakeOptions);
	userinfoProvider = await startOidcFake({ ...fakeOptions, claimsIn: 'userinfo' });
});
afterAll(async () => {
	await provider?.close();
	await userinfoProvider?.close();
});
beforeEach(() => useAuthority(provider.url));

/** The whole round trip as a browser would make it; returns what the callback gets. */
async function roundTrip(login: string, options: { choice?: 'login' | 'cancel'; next?: string } = {}) {
	const started = await startMicrosoftLogin({ redirectUri: REDIRECT_URI, next: options.next ?? '/' });
	const callbackUrl = await signInAtProvider(started.authorizationUrl, login, options.choice);
	return { started, callbackUrl };
}

db.describe(`Microsoft login (${db.dialect})`, () => {
	it('is offered on /login first, labelled "Microsoft account", only when configured', () => {
		expect(loginMethods()[0]).toEqual({ kind: 'redirect', id: 'microsoft', label: 'Microsoft account' });
		resetConfig({ ...config(), microsoftLogin: false });
		expect(loginMethods().map((m) => m.id)).not.toContain('microsoft');
	});

	it('sends the browser to the provider with PKCE (S256), state and nonce', async () => {
		const { authorizationUrl } = await startMicrosoftLogin({ redirectUri: REDIRECT_URI, next: '/' });
		const url = new URL(authorizationUrl);
		expect(url.origin).toBe(provider.url);
		expect(Object.fromEntries(url.searchParams)).toMatchObject({
			client_id: 'register-app',
			redirect_uri: REDIRECT_URI,
			response_type: 'code',
			scope: 'openid profile email',
			code_challenge_method: 'S256',
			code_challenge: expect.stringMatching(/^[\w-]{43}$/),
			state: expect.stringMatching(/.{16,}/),
			nonce: expect.stringMatching(/.{16,}/),
		});
	});

	it('creates the user from the ID token claims, stamps the contact and opens a session', async () => {
		const { started, callbackUrl } = await roundTrip('ada', { next: '/profile' });
		const done = await finishMicrosoftLogin({ callbackUrl, flow: started.flow, audit: webAudit });
		expect(done.next).toBe('/profile');
		expect(done.user).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', username: 'ada.lovelace' });
		const contact = await ContactDetail.findOne({ where: { method: 'email', value: 'ada@example.com' } });
		expect(contact!.userId).toBe(done.user.id);
		expect(await AuditRecord.findByPk(contact!.auditId!)).toMatchObject({ source: 'web', ip: '203.0.113.7' });
		expect(await Session.findByPk(sha256(done.sessionToken))).toMatchObject({ userId: done.user.id });
	});

	it('logs a known email in as its existing user', async () => {
		const existing = await newUser({ firstName: 'Known', lastName: 'Person', email: 'known.ms@example.com' });
		const { started, callbackUrl } = await roundTrip('known');
		const done = await finishMicrosoftLogin({ callbackUrl, flow: started.flow, audit: webAudit });
		expect(done.user.id).toBe(existing.id);
		expect(await User.count({ where: { firstName: 'Other' } })).toBe(0);
	});

	it('takes the sign-in name (preferred_username) when there is no email claim, and splits the display name', async () => {
		const { started, callbackUrl } = await roundTrip('upn-only');
		const done = await finishMicrosoftLogin({ callbackUrl, flow: started.flow, audit: webAudit });
		expect(done.user).toMatchObject({ firstName: 'Grace', lastName: 'Brewster Hopper' });
		expect(await ContactDetail.findOne({ where: { method: 'email', value: 'grace.hopper@example.com' } })).toMatchObject({ userId: done.user.id });
	});

	it('ignores an email the provider marks unverified', async () => {
		const { started, callbackUrl } = await roundTrip('unverified');
		const done = await finishMicrosoftLogin({ callbackUrl, flow: started.flow, audit: webAudit });
		expect(await ContactDetail.findOne({ where: { method: 'email', value: 'real.person@example.com' } })).toMatchObject({ userId: done.user.id });
		expect(await ContactDetail.count({ where: { value: 'someone.else@example.com' } })).toBe(0);
	});

	it('reads email and names from userinfo when the ID token does not carry them', async () => {
		useAuthority(userinfoProvider.url);
		const { started, callbackUrl } = await roundTrip('ada');
		const done = await finishMicrosoftLogin({ callbackUrl, flow: started.flow, audit: webAudit });
		expect(done.user).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
	});

	it('refuses an account with no usable email address, creating nobody', async () => {
		const users = await User.count();
		const { started, callbackUrl } = await roundTrip('no-email');
		await expect(finishMicrosoftLogin({ callbackUrl, flow: started.flow, audit: webAudit })).rejects.toMatchObject({ reason: 'no-email' });
		expect(await User.count()).toBe(users);
	});

	it('reports a cancelled sign-in as denied', async () => {
		const { started, callbackUrl } = await roundTrip('ada', { choice: 'cancel' });
		expect(callbackUrl.searchParams.get('error')).toBe('access_denied');
		await expect(finishMicrosoftLogin({ callbackUrl, flow: started.flow, audit: webAudit })).rejects.toMatchObject({
			reason: 'denied',
			code: 'unauthenticated',
		});
	});

	it('refuses an answer that belongs to another sign-in (state and PKCE verifier of another flow)', async () => {
		const { callbackUrl } = await roundTrip('ada');
		const other = await startMicrosoftLogin({ redirectUri: REDIRECT_URI, next: '/' });
		await expect(finishMicrosoftLogin({ callbackUrl, flow: other.flow, audit: webAudit })).rejects.toMatchObject({ reason: 'invalid' });
	});

	it('refuses a code used twice', async () => {
		const { started, callbackUrl } = await roundTrip('ada');
		await finishMicrosoftLogin({ callbackUrl, flow: started.flow, audit: webAudit });
		await expect(finishMicrosoftLogin({ callbackUrl, flow: started.flow, audit: webAudit })).rejects.toMatchObject({ reason: 'invalid' });
	});

	it('refuses a callback without its flow cookie, with a forged one, or after ten minutes', async () => {
		const { started, callbackUrl } = await roundTrip('ada');
		for (const flow of [undefined, 'garbage', Buffer.from('{"state":1}').toString('base64url')]) {
			await expect(finishMicrosoftLogin({ callbackUrl, flow, audit: webAudit })).rejects.toMatchObject({ reason: 'expired' });
		}
		const late = new Date(Date.now() + 11 * 60 * 1000);
		await expect(finishMicrosoftLogin({ callbackUrl, flow: started.flow, audit: webAudit, at: late })).rejects.toMatchObject({ reason: 'expired' });
	});

	it('says Microsoft is unavailable (503) when the provider cannot be reached', async () => {
		useAuthority(`http://127.0.0.1:${await closedPort()}`);
		await expect(startMicrosoftLogin({ redirectUri: REDIRECT_URI, next: '/' })).rejects.toMatchObject({ reason: 'unavailable', code: 'unavailable' });
	});

	it('refuses a plain-HTTP authority that is not on this machine', async () => {
		useAuthority('http://login.example.com/tenant/v2.0');
		await expect(startMicrosoftLogin({ redirectUri: REDIRECT_URI, next: '/' })).rejects.toMatchObject({ reason: 'unavailable' });
	});
});
