/**
 * Email codes through Microsoft Graph sendMail: an app-only token from the
 * client-credentials grant of a real OpenID provider on 127.0.0.1, and a
 * Graph stand-in that accepts only that token and records the MIME message.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { config, resetConfig } from '../../server/config';
import { requestCode } from '../../server/domain/identity/login';
import { codeLoginMethod } from '../../server/domain/identity/login-methods';
import { redeemLoginCode } from '../../server/domain/identity/login-codes';
import { sendGraphMail } from '../../server/integrations/microsoft/graph-mail';
import { startGraphFake, type RunningGraphFake } from '../fakes/graph.fake';
import { startOidcFake, type RunningOidcFake } from '../fakes/oidc.fake';
import { useTestDatabase } from './support/database';
import { closedPort } from './support/ports';
import { webAudit } from './support/factories';

const db = await useTestDatabase();

const SENDER = 'register@example.com';
let identity: RunningOidcFake;
let graph: RunningGraphFake;
/** A Graph that trusts no token, to prove a refusal is reported. */
let distrustfulGraph: RunningGraphFake;

const microsoft = () => ({
	tenantId: 'tenant',
	clientId: 'mail-app',
	clientSecret: 'mail-secret',
	authority: identity.url,
	graphUrl: graph.url,
});

beforeAll(async () => {
	identity = await startOidcFake({ port: 0, clientId: 'mail-app', clientSecret: 'mail-secret', redirectUris: ['http://register.test/cb'], accounts: [] });
	graph = await startGraphFake({ port: 0, profiles: {}, isAppToken: (token) => identity.isAppToken(token) });
	distrustfulGraph = await startGraphFake({ port: 0, profiles: {}, isAppToken: async () => false });
});
afterAll(async () => {
	await Promise.all([identity?.close(), graph?.close(), distrustfulGraph?.close()]);
});
beforeEach(() => {
	resetConfig({ ...config(), smtp: undefined, microsoft: microsoft(), microsoftLogin: false, graphEmailSender: SENDER, buildingName: 'Test Register' });
});

const tokenGrants = () => identity.captured().filter((e) => (e as { grantType?: string }).grantType === 'client_credentials').length;

db.describe(`email codes through Graph sendMail (${db.dialect})`, () => {
	it('delivers the code from the sender mailbox to the person, with text and HTML bodies', async () => {
		const method = codeLoginMethod('email');
		expect(method).toBeDefined();
		await requestCode(method!, 'Ada.Graph@Example.com');

		const mail = graph.mails().at(-1)!;
		expect(mail).toMatchObject({ sender: SENDER, format: 'mime', to: ['ada.graph@example.com'] });
		expect(mail.subject).toMatch(/Test Register/);
		const code = /\b(\d{6})\b/.exec(mail.text ?? '')?.[1];
		expect(code).toMatch(/^\d{6}$/);
		expect(mail.html).toContain(code);
		expect(mail.text).toMatch(/15 minutes/);

		// The mailed code is the live one: it logs the person in.
		const user = await redeemLoginCode({
			contact: { method: 'email', value: 'ada.graph@example.com' },
			code: code!,
			firstName: 'Ada',
			lastName: 'Graph',
			audit: webAudit,
		});
		expect(user.firstName).toBe('Ada');
	});

	it('reuses the app token until it nears expiry instead of asking for one per email', async () => {
		const before = tokenGrants();
		const settings = microsoft();
		await sendGraphMail(settings, SENDER, { to: 'one@example.com', subject: 'One', text: 'one', html: '<p>one</p>' });
		await sendGraphMail(settings, SENDER, { to: 'two@example.com', subject: 'Two', text: 'two', html: '<p>two</p>' });
		expect(graph.mails().slice(-2).map((m) => m.to[0])).toEqual(['one@example.com', 'two@example.com']);
		expect(tokenGrants() - before).toBeLessThanOrEqual(1);
	});

	it('answers "unavailable" (503) when Graph refuses the message, sending nothing', async () => {
		resetConfig({ ...config(), microsoft: { ...microsoft(), graphUrl: distrustfulGraph.url } });
		await expect(requestCode(codeLoginMethod('email')!, 'refused@example.com')).rejects.toMatchObject({
			code: 'unavailable',
			message: expect.stringMatching(/could not send the email/),
		});
		expect(distrustfulGraph.mails()).toHaveLength(0);
	});

	it('answers "unavailable" (503) when the token endpoint cannot be reached', async () => {
		resetConfig({ ...config(), microsoft: { ...microsoft(), authority: `http://127.0.0.1:${await closedPort()}`, clientSecret: 'another-secret' } });
		await expect(requestCode(codeLoginMethod('email')!, 'nobody@example.com')).rejects.toMatchObject({ code: 'unavailable' });
	});
});
