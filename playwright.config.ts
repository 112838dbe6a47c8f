import { defineConfig } from '@playwright/test';
import { fakePorts, loopback } from './tests/fakes/ports';

/**
 * The e2e tests run against the built app on its embedded SQLite, in Debian's
 * Chromium. E2E_PORT and E2E_DIR let two runs share a machine.
 */
const port = Number(process.env.E2E_PORT ?? 4173);
const e2eDir = process.env.E2E_DIR ?? '.e2e';
export const e2eDataDir = `${e2eDir}/data`;
export const e2eServerLog = `${e2eDir}/server.log`;
export const e2eBaseUrl = `http://127.0.0.1:${port}`;

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results',
	workers: 2,
	timeout: 30_000,
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
			},
		},
	],
});
