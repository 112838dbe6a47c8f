/**
 * The stand-ins `serve.ts` runs for the e2e tests. Each entry starts one real
 * protocol server on 127.0.0.1 and returns what it captured, so tests can
 * read it through the inspector (GET /captured/<name>).
 */
import { e2eBaseUrl } from '../../playwright.config';
import { startGraphFake } from './graph.fake';
import { e2eGraphTokens, e2eMicrosoftAccounts, e2eMicrosoftApp } from './microsoft.accounts';
import { startOidcFake, type RunningOidcFake } from './oidc.fake';
import { fakePorts } from './ports';
import { startSmtpFake } from './smtp.fake';
import { startTwilioFake } from './twilio.fake';
import { startWebhookReceiver } from './webhook-receiver.fake';

export interface RunningFake {
	/** Everything the fake received that a test may want to read (messages, requests). */
	captured(): unknown[];
	close(): Promise<void>;
}

export interface FakeEntry {
	name: string;
	start(): Promise<RunningFake>;
}

/** Graph checks sendMail tokens with the identity stand-in that issued them. */
let microsoftIdentity: RunningOidcFake | undefined;

export const fakes: FakeEntry[] = [
	{ name: 'smtp', start: () => startSmtpFake(fakePorts.smtp) },
	{ name: 'twilio', start: () => startTwilioFake(fakePorts.twilio) },
	{
		// Slack and Teams messages (and any webhook an e2e test adds), as path and text.
		name: 'slack',
		start: async () => {
			const receiver = await startWebhookReceiver(fakePorts.slack);
			return { captured: () => receiver.captured().map((r) => ({ path: r.path, text: r.text })), close: () => receiver.close() };
		},
	},
	{
		name: 'oidc',
		start: async () =>
			(microsoftIdentity = await startOidcFake({
				port: fakePorts.oidc,
				...e2eMicrosoftApp,
				redirectUris: [`${e2eBaseUrl}/login/microsoft/callback`],
				accounts: e2eMicrosoftAccounts,
			})),
	},
	{
		name: 'graph',
		start: () =>
			startGraphFake({ port: fakePorts.graph, profiles: e2eGraphTokens, isAppToken: async (token) => (await microsoftIdentity?.isAppToken(token)) ?? false }),
	},
];
