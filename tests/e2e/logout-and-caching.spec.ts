import { expect, test, type Page } from '@playwright/test';
import { logIn, newPerson } from './support';
import { cachedPages, goOffline, goOnline, installApp, outboxOf } from './offline-support';

const waiting = (page: Page) => page.getByTestId('sync-waiting');
const offlineHeading = (page: Page) => page.getByRole('heading', { name: 'You are offline' });

test('after logout the staff page of the person who left is no longer kept on the device', async ({ browser }) => {
	test.slow();
	const context = await browser.newContext();
	const page = await context.newPage();
	await logIn(page, newPerson('Cora', 'Cached'));
	await installApp(page);

	// The page is kept while Cora is logged in: offline, it still opens.
	await goOffline(context);
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Hi Cora' })).toBeVisible();
	await goOnline(context);
	await page.reload();

	await page.getByRole('button', { name: 'Log out' }).click();
	await expect(page).toHaveURL(/\/login$/);
	expect(await cachedPages(page)).toEqual([]);

	await goOffline(context);
	await page.goto('/');
	await expect(offlineHeading(page)).toBeVisible();
	await expect(page.getByText('Hi Cora')).toHaveCount(0);
	await context.close();
});

test('the service worker never keeps /profile: offline it answers the offline page, not a copy', async ({ browser }) => {
	test.slow();
	const context = await browser.newContext();
	const page = await context.newPage();
	await logIn(page, newPerson('Pia', 'Private'));
	await installApp(page);
	await page.goto('/profile');
	await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
	expect((await cachedPages(page)).filter((url) => url.startsWith('/profile'))).toEqual([]);

	await goOffline(context);
	const offline = await page.goto('/profile');
	expect(offline?.fromServiceWorker()).toBe(true);
	expect(offline?.status()).toBe(503);
	await expect(offlineHeading(page)).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Your profile' })).toHaveCount(0);

	// The staff page is the one page that does open offline.
	await page.getByRole('link', { name: 'Open the sign-in page' }).click();
	await expect(page.getByRole('heading', { name: 'Hi Pia' })).toBeVisible();
	await context.close();
});

test('logout with actions waiting asks first, keeps them, and sends them when the same person logs in again', async ({ browser }) => {
	test.slow();
	const ada = newPerson('Ada', 'Asked');
	const context = await browser.newContext();
	const page = await context.newPage();
	await logIn(page, ada);
	await expect.poll(() => outboxOf(page).then((o) => o.currentUserId)).toEqual(expect.any(Number)); // the outbox is open

	// The register cannot be reached for the actions, but the logout itself still can.
	await context.route('**/api/trpc/sync.push', (route) => route.abort('internetdisconnected'));
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await page.getByRole('button', { name: 'Sign out', exact: true }).click();
	await expect(waiting(page)).toHaveText(/Waiting to sync \(2\)/);

	await page.getByRole('button', { name: 'Log out' }).click();
	const dialog = page.getByRole('dialog', { name: 'Log out?' });
	await expect(dialog).toHaveAccessibleDescription(
		'2 sign-ins/outs are still waiting to reach the register; they will be kept and sent when you log in again. Log out anyway?',
	);
	await dialog.getByRole('button', { name: 'Stay logged in' }).click();
	await expect(dialog).toBeHidden();
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Hi Ada' })).toBeVisible();

	await page.getByRole('button', { name: 'Log out' }).click();
	await dialog.getByRole('button', { name: 'Log out anyway' }).click();
	await expect(page).toHaveURL(/\/login$/);
	const kept = await outboxOf(page);
	expect(kept.entries.map((e) => e.kind)).toEqual(expect.arrayContaining(['sign-in', 'sign-out']));
	expect(kept.entries).toHaveLength(2);
	expect(kept.currentUserId).toBeUndefined();
	await page.goto('/');
	await expect(page).toHaveURL(/\/login\?next=%2F$/); // the server session ended too

	await context.unroute('**/api/trpc/sync.push');
	await logIn(page, ada, { firstUse: false });
	await expect(waiting(page)).toHaveCount(0);
	expect((await outboxOf(page)).entries).toEqual([]);
	const reply = await page.request.get('/api/trpc/attendance.status');
	const today = ((await reply.json()) as { result: { data: { signedIn: boolean; since: string | null } } }).result.data;
	expect(today.signedIn).toBe(false);
	await context.close();
});

test('logout without actions waiting does not ask', async ({ page }) => {
	await logIn(page, newPerson('Nell', 'Noquestion'));
	await page.getByRole('button', { name: 'Log out' }).click();
	await expect(page).toHaveURL(/\/login$/);
	await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('logout without JavaScript is a plain POST that ends the session', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	const person = newPerson('Jo', 'Nojs');
	// Logging in needs no JavaScript either.
	await logIn(page, person);
	await page.getByRole('button', { name: 'Log out' }).click();
	await expect(page).toHaveURL(/\/login$/);
	await page.goto('/');
	await expect(page).toHaveURL(/\/login\?next=%2F$/);
	await context.close();
});

test('a tab of an older version lets a newer version upgrade the database and asks to be reloaded', async ({ browser }) => {
	const context = await browser.newContext();
	const older = await context.newPage();
	await logIn(older, newPerson('Vera', 'Version'));
	await expect(older.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
	await expect.poll(() => outboxOf(older).then((o) => o.currentUserId)).toEqual(expect.any(Number)); // it has the database open

	const newer = await context.newPage();
	await newer.goto('/login');
	const outcome = await newer.evaluate(
		() =>
			new Promise<string>((resolve) => {
				const request = indexedDB.open('building-register', 4); // one past the app's version (3 since the roll call stores)
				request.onblocked = () => resolve('blocked');
				request.onsuccess = () => {
					request.result.close();
					resolve('upgraded');
				};
				request.onerror = () => resolve(`error: ${request.error?.message}`);
			}),
	);
	expect(outcome).toBe('upgraded');
	await expect(older.getByText('The app was updated in another tab. Reload this page to keep using it.')).toBeVisible();
	await context.close();
});
