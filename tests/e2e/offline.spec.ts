import { appendFileSync, rmSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { copyBuild, ownServer, ownServerPlace } from './own-server';
import { createAdmin, logIn, newPerson, type Person } from './support';
import { goOffline, goOnline, installApp } from './offline-support';

const waiting = (page: Page) => page.getByTestId('sync-waiting');
const status = (page: Page) => page.getByTestId('status');

interface LegacyReport {
	users: Array<{ emails: string[]; records: Array<{ sign_in__timestamp: string; sign_out__timestamp: string | null }> }>;
}

async function recordsOf(page: Page, person: Person) {
	const report = (await (await page.request.get('/report.json')).json()) as LegacyReport;
	return report.users.find((u) => u.emails.includes(person.email))?.records ?? [];
}

async function serverSince(page: Page): Promise<string | null> {
	const reply = await page.request.get('/api/trpc/attendance.status');
	return ((await reply.json()) as { result: { data: { since: string | null } } }).result.data.since;
}

test('a sign-in made offline survives a reload and a reopened app, and syncs with the time of the click', async ({ browser }) => {
	test.slow();
	const context = await browser.newContext();
	const page = await context.newPage();
	await logIn(page, newPerson('Olive', 'Offline'));
	await installApp(page);

	await goOffline(context);
	const shell = await page.reload();
	expect(shell?.fromServiceWorker()).toBe(true);
	await expect(page.getByRole('heading', { name: 'Hi Olive' })).toBeVisible();

	const clickedFrom = Date.now();
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(status(page)).toHaveText(/You are signed in since \d{2}:\d{2}/);
	const clickedBy = Date.now();
	await expect(waiting(page)).toHaveText(/Waiting to sync \(1\)/);

	await page.close();
	const reopened = await context.newPage();
	await reopened.goto('/');
	await expect(waiting(reopened)).toHaveText(/Waiting to sync \(1\)/);
	await expect(status(reopened)).toHaveText(/You are signed in since/);
	await reopened.waitForTimeout(1_000); // stay offline a moment, so the sync time differs from the click time

	const onlineFrom = Date.now();
	await goOnline(context);
	await expect(waiting(reopened)).toHaveCount(0);
	const since = Date.parse((await serverSince(reopened))!);
	expect(since).toBeGreaterThanOrEqual(clickedFrom);
	expect(since).toBeLessThanOrEqual(clickedBy);
	expect(since).toBeLessThan(onlineFrom);
	await context.close();
});

test('several sign-ins and sign-outs offline become exactly those records', async ({ browser }) => {
	test.slow();
	const admin = newPerson('Sally', 'Several');
	await createAdmin(admin);
	const context = await browser.newContext();
	const page = await context.newPage();
	await logIn(page, admin, { firstUse: false });
	await installApp(page);

	await goOffline(context);
	for (const button of ['Sign in', 'Sign out', 'Sign in', 'Sign out', 'Sign in'] as const) {
		await page.getByRole('button', { name: button, exact: true }).click();
		await expect(status(page)).toHaveText(button === 'Sign in' ? /signed in since/ : /not signed in/);
	}
	await expect(waiting(page)).toHaveText(/Waiting to sync \(5\)/);
	await goOnline(context);
	await expect(waiting(page)).toHaveCount(0);

	const records = await recordsOf(page, admin);
	expect(records).toHaveLength(3);
	expect(records.map((r) => r.sign_out__timestamp === null)).toEqual([false, false, true]);
	const times = records.flatMap((r) => [r.sign_in__timestamp, r.sign_out__timestamp]).filter((t) => t !== null);
	expect(times).toEqual([...times].sort());
	await context.close();
});

test('a lost reply is retried without applying anything twice', async ({ browser }) => {
	const admin = newPerson('Lola', 'Lostreply');
	await createAdmin(admin);
	const context = await browser.newContext();
	const page = await context.newPage();
	await logIn(page, admin, { firstUse: false });

	const replies: Array<{ results: Array<{ outcome: string }> }> = [];
	let lose = true;
	await page.route('**/api/trpc/sync.push', async (route) => {
		const response = await route.fetch(); // the server applies the batch...
		replies.push(((await response.json()) as { result: { data: { results: Array<{ outcome: string }> } } }).result.data);
		if (lose) {
			lose = false;
			await route.abort('connectionreset'); // ...but the phone never hears back
		} else {
			await route.fulfill({ response });
		}
	});
	await page.getByRole('button', { name: 'Sign in' }).click();
	// An empty outbox alone proves nothing: on a busy machine the action may not be written yet.
	await expect.poll(() => replies.length).toBe(2);
	await expect(waiting(page)).toHaveCount(0);
	expect(replies.map((r) => r.results.map((x) => x.outcome))).toEqual([['applied'], ['duplicate']]);
	expect(await recordsOf(page, admin)).toHaveLength(1);
	await context.close();
});

test('a server restart in the middle of a sync loses nothing and doubles nothing', async ({ browser }) => {
	test.slow();
	const server = ownServer(ownServerPlace(2, 'restart'));
	await server.start();
	try {
		const admin = newPerson('Rita', 'Restart');
		await createAdmin(admin, server.dataDir);
		const context = await browser.newContext({ baseURL: server.baseURL });
		const page = await context.newPage();
		await logIn(page, admin, { firstUse: false, log: server.log });

		await goOffline(context);
		for (const button of ['Sign in', 'Sign out', 'Sign in'] as const) {
			await page.getByRole('button', { name: button, exact: true }).click();
			await expect(status(page)).toHaveText(button === 'Sign in' ? /signed in since/ : /not signed in/);
		}
		await expect(waiting(page)).toHaveText(/Waiting to sync \(3\)/);

		let crash: Promise<void> | undefined;
		await page.route('**/api/trpc/sync.push', async (route) => {
			if (crash) return route.continue();
			crash = (async () => {
				await route.fetch(); // the server has applied the batch when it dies
				await server.stop('SIGKILL');
			})();
			await crash.finally(() => route.abort('connectionreset'));
		});
		await goOnline(context);
		await expect.poll(() => crash !== undefined).toBe(true);
		await crash;
		await expect(waiting(page)).toHaveText(/Waiting to sync \(3\)/);

		await server.start();
		await page.evaluate(() => window.dispatchEvent(new Event('online')));
		await expect(waiting(page)).toHaveCount(0);
		const records = await recordsOf(page, admin);
		expect(records.map((r) => r.sign_out__timestamp === null)).toEqual([false, true]);
		await context.close();
	} finally {
		await server.stop();
	}
});

test('an expired session keeps the outbox for its own person, not for whoever logs in next', async ({ browser }) => {
	test.slow();
	const ann = newPerson('Ann', 'Expired');
	const ben = newPerson('Ben', 'Nextuser');
	const context = await browser.newContext();
	const page = await context.newPage();
	await logIn(page, ben);
	await logIn(page, ann);

	await goOffline(context);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(waiting(page)).toHaveText(/Waiting to sync \(1\)/);
	await context.clearCookies(); // the session is gone by the time the phone is back online
	await goOnline(context);
	await page.evaluate(() => window.dispatchEvent(new Event('online')));
	await expect(page.getByRole('alert')).toContainText('Your login has expired');
	await expect(waiting(page)).toHaveText(/Waiting to sync \(1\)/);

	await logIn(page, ben, { firstUse: false });
	await expect(status(page)).toHaveText(/not signed in/);
	await expect(waiting(page)).toHaveCount(0);
	expect(await serverSince(page)).toBeNull();

	await logIn(page, ann, { firstUse: false });
	await expect(waiting(page)).toHaveCount(0);
	expect(await serverSince(page)).not.toBeNull();
	await context.close();
});

test('a phone offline during a deploy keeps working, then offers "Update available" and reloads into it', async ({ browser }) => {
	test.slow();
	const place = ownServerPlace(3, 'update');
	rmSync(place.dir, { recursive: true, force: true });
	const buildDir = copyBuild(`${place.dir}/build`);
	const server = ownServer({ ...place, buildDir });
	await server.start();
	try {
		const context = await browser.newContext({ baseURL: server.baseURL });
		const page = await context.newPage();
		await logIn(page, newPerson('Uma', 'Update'), { log: server.log });
		await installApp(page);
		await expect(page.getByText('Update available')).toHaveCount(0);

		// Deploy while the phone is offline: the server now serves a different service worker.
		await goOffline(context);
		await server.stop('SIGTERM');
		const worker = `${buildDir}/client/service-worker.js`;
		appendFileSync(worker, '\n// deployed again\n');
		for (const compressed of [`${worker}.br`, `${worker}.gz`]) rmSync(compressed, { force: true }); // else the old bytes are served
		await server.start();

		// Still offline, the installed version keeps working and queues a sign-in.
		await page.reload();
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(waiting(page)).toHaveText(/Waiting to sync \(1\)/);

		await goOnline(context);
		await page.evaluate(() => window.dispatchEvent(new Event('online')));
		await expect(waiting(page)).toHaveCount(0);
		await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
		await expect(page.getByText('Update available')).toBeVisible();
		const reloaded = page.waitForEvent('framenavigated');
		await page.getByRole('button', { name: 'Reload to update' }).click();
		await reloaded;
		await expect(page.getByRole('heading', { name: 'Hi Uma' })).toBeVisible();
		await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
		await expect(page.getByText('Update available')).toHaveCount(0);
		await context.close();
	} finally {
		await server.stop();
	}
});

