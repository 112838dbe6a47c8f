import { defineConfig } from '@playwright/test';
import { fakePorts, loopback } from './tests/fakes/ports';
import { e2eJwtSecret, e2eMicrosoftApp, e2eMobileApp } from './tests/fakes/microsoft.accounts';

/**
 * The e2e tests run against the built app on its embedded SQLite, in Debian's
 * Chromium. E2E_PORT and E2E_DIR let two runs share a machine.
 */
const port = Number(process.env.E2E_PORT ?? 4173);
export const e2eDir = process.env.E2E_DIR ?? '.e2e';
/** Servers a test starts itself take the ports after the shared one's: slot 1 is port + 1 (slot 6 would meet the stand-ins' 4179). */
export const ownServerPort = (slot: number) => port + slot;
export const e2eDataDir = `${e2eDir}/data`;
export const e2eServerLog = `${e2eDir}/server.log`;
export const e2eBaseUrl = `http://127.0.0.1:${port}`;

const rollCallSpecs = /rollcall[^/]*\.spec\.ts$/;

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results',
	workers: 2,
	// One retry under CI, reported as "flaky" in the output: a loaded 2-core machine must not sink a
	// submission on a timing hiccup, and a test that fails twice still fails the run.
	retries: process.env.CI ? 1 : 0,
	// Room for a slow day: the same suite took 6 minutes on one day and over twice that on another
	// on this machine. A limit, not a measure (speed is measured by `npm run bench`).
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL: e2eBaseUrl,
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
		},
	},
	projects: [
		{ name: 'app', testIgnore: rollCallSpecs },
		// A roll call, while open, changes what every kiosk and marshal sees: its tests run after all the
		// others, one at a time, so none of them meets another's roll call.
		{ name: 'roll call', testMatch: rollCallSpecs, dependencies: ['app'], workers: 1 },
	],
	webServer: [
		{
			// Local stand-ins for SMTP, Twilio, Microsoft and Slack (tests/fakes), started before the app.
			command: 'npx tsx tests/fakes/serve.ts',
			url: `${loopback(fakePorts.inspector)}/health`,
			timeout: 60_000,
			reuseExistingServer: false,
		},
		{
			// A fresh data folder each run; the server's output goes to a file the tests read login codes from.
			command: `rm -rf ${e2eDir} && mkdir -p ${e2eDir} && npx vite build --logLevel error && exec npx tsx server/cli/start.ts > ${e2eServerLog} 2>&1`,
			url: `${e2eBaseUrl}/login`,
			timeout: 180_000,
			reuseExistingServer: false,
			env: {
				PORT: String(port),
				HOST: '127.0.0.1',
				DATA_DIR: e2eDataDir,
				DEV_LOGIN: 'on',
				NODE_ENV: 'production',
				LOG_LEVEL: 'info',
				// Scheduled jobs would send reminders on the real clock into the tests' fakes.
				SCHEDULER: 'off',
				SMTP_URL: `smtp://127.0.0.1:${fakePorts.smtp}`,
				EMAIL_FROM: 'Building Register <register@example.org>',
				TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000e2e0',
				TWILIO_AUTH_TOKEN: 'e2e-twilio-token',
				SMS_SENDER: 'SF-REG',
				TWILIO_API_URL: loopback(fakePorts.twilio),
				MICROSOFT_TENANT_ID: e2eMicrosoftApp.tenantId,
				MICROSOFT_CLIENT_ID: e2eMicrosoftApp.clientId,
				MICROSOFT_CLIENT_SECRET: e2eMicrosoftApp.clientSecret,
				MICROSOFT_AUTHORITY: loopback(fakePorts.oidc),
				MICROSOFT_GRAPH_URL: loopback(fakePorts.graph),
				JWT_SECRET: e2eJwtSecret,
				APP_TENANT_ID: e2eMobileApp.tenantId,
				APP_CLIENT_ID: e2eMobileApp.clientId,
				// Every test logs in from 127.0.0.1: the whole suite is one office behind one address.
				LOGIN_CODES_PER_IP: '10000',
				SLACK_SIGNIN_WEBHOOKS: `${loopback(fakePorts.slack)}/slack`,
				TEAMS_SIGNIN_WEBHOOKS: `${loopback(fakePorts.slack)}/teams`,
			},
		},
	],
});
