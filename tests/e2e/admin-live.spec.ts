/** The admin's live "who is in now": a sign-in anywhere appears within 2 s, without reloading. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import mysql from 'mysql2/promise';
import { ownServer } from './own-server';
import { createAdmin, logIn, newPerson, press, type Person } from './support';

const run = promisify(execFile);
const mysqlUrl = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function adminPage(browser: Browser, admin: Person, options: { baseURL?: string; log?: string } = {}): Promise<Page> {
	const context = await browser.newContext(options.baseURL ? { baseURL: options.baseURL } : {});
	const page = await context.newPage();
	await logIn(page, admin, { firstUse: false, log: options.log });
	await page.goto('/admin');
	await expect(page.getByTestId('live-mode')).toHaveText('Live');
	return page;
}

async function signInElsewhere(browser: Browser, person: Person, options: { baseURL?: string; log?: string } = {}) {
	const context = await browser.newContext(options.baseURL ? { baseURL: options.baseURL } : {});
	const page = await context.newPage();
	await logIn(page, person, { log: options.log });
	return { page, close: () => context.close() };
}

const nowTable = (page: Page) => page.getByRole('table', { name: 'People in the building now' });

test('an admin sees a sign-in and a sign-out made in another browser within 2 s, without reloading', async ({ browser }) => {
	test.slow();
	const admin = newPerson('Lina', 'Live');
	await createAdmin(admin);
	const page = await adminPage(browser, admin);
	const before = await page.getByTestId('count').textContent();

	const newcomer = newPerson('Nico', 'Newcomer');
	const other = await signInElsewhere(browser, newcomer);
	await press(other.page, 'Sign in');
	await expect(nowTable(page).getByRole('row', { name: /Nico Newcomer/ })).toBeVisible({ timeout: 2_000 });
	await expect(page.getByTestId('count')).not.toHaveText(before!);

	// The filter narrows the list to the names typed.
	await page.getByLabel('Filter by name').fill('nico newc');
	await expect(nowTable(page).getByRole('row')).toHaveCount(2); // header and Nico
	await page.getByLabel('Filter by name').fill('');

	await press(other.page, 'Sign out');
	await expect(nowTable(page).getByRole('row', { name: /Nico Newcomer/ })).toHaveCount(0, { timeout: 2_000 });
	await other.close();
	await page.context().close();
});

test('without EventSource the live view falls back to polling and still updates', async ({ browser }) => {
	const admin = newPerson('Pia', 'Poller');
	await createAdmin(admin);
	const context = await browser.newContext();
	await context.addInitScript(() => {
		// @ts-expect-error: a browser without server-sent events
		delete window.EventSource;
	});
	const page = await context.newPage();
	await logIn(page, admin, { firstUse: false });
	await page.goto('/admin');
	await expect(page.getByTestId('live-mode')).toHaveText('Updating every few seconds');
	const person = newPerson('Polly', 'Polled');
	const other = await signInElsewhere(browser, person);
	await press(other.page, 'Sign in');
	await expect(nowTable(page).getByRole('row', { name: /Polly Polled/ })).toBeVisible();
	await other.close();
	await context.close();
});

test('axe finds no violations on /admin', async ({ browser }) => {
	const admin = newPerson('Axel', 'Audit');
	await createAdmin(admin);
	const page = await adminPage(browser, admin);
	const results = await new AxeBuilder({ page }).analyze();
	expect(results.violations).toEqual([]);
	await page.context().close();
});

test('two app instances on one MariaDB and Redis: a sign-in on one appears live on the other within 2 s', async ({ browser }) => {
	test.setTimeout(180_000);
	const name = `register_live_${process.pid}`;
	const root = await mysql.createConnection({ uri: mysqlUrl });
	await root.query(`DROP DATABASE IF EXISTS \`${name}\``);
	await root.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
	const url = new URL(mysqlUrl);
	url.pathname = `/${name}`;
	// A channel of its own: other runs on this machine share the Redis.
	const env = { DATABASE_URL: url.toString(), REDIS_URL: redisUrl, REDIS_CHANNEL: `e2e-live-${process.pid}-${Date.now()}`, WEB_CONCURRENCY: '1', LOG_LEVEL: 'info' };
	const first = ownServer({ slot: 8, name: 'live-a', env });
	const second = ownServer({ slot: 9, name: 'live-b', env });
	try {
		await first.start();
		await second.start();
		const admin = newPerson('Ines', 'Instance');
		await run('npx', ['tsx', 'server/cli/register.ts', 'create-admin', '--email', admin.email, '--first', admin.firstName, '--last', admin.lastName], {
			env: { ...process.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'silent' },
		});
		const page = await adminPage(browser, admin, { baseURL: first.baseURL, log: first.log });
		const person = newPerson('Remy', 'Remote');
		const other = await signInElsewhere(browser, person, { baseURL: second.baseURL, log: second.log });
		await press(other.page, 'Sign in');
		await expect(nowTable(page).getByRole('row', { name: /Remy Remote/ })).toBeVisible({ timeout: 2_000 });
		await press(other.page, 'Sign out');
		await expect(nowTable(page).getByRole('row', { name: /Remy Remote/ })).toHaveCount(0, { timeout: 2_000 });
		await other.close();
		await page.context().close();
	} finally {
		await Promise.all([first.stop('SIGTERM'), second.stop('SIGTERM')]);
		await root.query(`DROP DATABASE IF EXISTS \`${name}\``);
		await root.end();
	}
});
