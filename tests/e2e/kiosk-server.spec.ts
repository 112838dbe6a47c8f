/**
 * Issue 9, the server's side seen from a browser: admins set up locations and
 * kiosks, phones sign in at a poster or with a kiosk's presence code (online,
 * offline, logged out), a person's badge on their profile, and a badge link
 * that never logs anyone in.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { e2eDataDir } from '../../playwright.config';
import { presencePath, type KioskPairing } from '../../src/lib/contracts/kiosk-protocol';
import { codeFor, createAdmin, logIn, newPerson, type Person } from './support';
import { goOffline, goOnline, installApp, status, waiting } from './offline-support';
import { e2eServerLog } from '../../playwright.config';
import { readFileSync } from 'node:fs';

const run = promisify(execFile);
const cli = (...args: string[]) => run('npx', ['tsx', 'server/cli/register.ts', ...args], { env: { ...process.env, DATA_DIR: e2eDataDir, LOG_LEVEL: 'silent' } });

let places = 0;
async function newPlace(name: string, options: { requiresPresence?: boolean } = {}): Promise<string> {
	const slug = `${name.toLowerCase().replace(/\s+/g, '-')}-${process.pid}-${++places}`;
	await cli('create-location', '--name', name, '--slug', slug, ...(options.requiresPresence ? ['--requires-presence'] : []));
	return slug;
}

/** A kiosk at a location, paired as a tablet would pair it. */
async function pairedKiosk(page: Page, locationSlug: string): Promise<KioskPairing> {
	const { stdout } = await cli('create-kiosk', '--name', 'Front desk', '--location', locationSlug);
	const code = /Pairing code: ([A-Z0-9]{8})/.exec(stdout)![1]!;
	const reply = await page.request.post('/api/trpc/kiosk.pair', { data: { code } });
	expect(reply.ok()).toBe(true);
	return ((await reply.json()) as { result: { data: KioskPairing } }).result.data;
}

/** On a login page that carries `next`: the development method, first use. */
async function logInHere(page: Page, person: Person): Promise<void> {
	await page.getByRole('link', { name: 'Development' }).click();
	await page.getByLabel('Email or phone').fill(person.email);
	const since = readFileSync(e2eServerLog, 'utf8').length;
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await page.getByLabel('Code').fill(await codeFor(person.email, since));
	await page.getByLabel('First name').fill(person.firstName);
	await page.getByLabel('Last name').fill(person.lastName);
	await page.getByRole('button', { name: 'Log in' }).click();
}

async function whereOnReport(page: Page, name: string): Promise<string | null> {
	await page.goto('/admin');
	// The day's full table (its fourth column is "Where"); the live list above it names the person too.
	const row = page.getByRole('table', { name: "Today's sign-ins" }).getByRole('row').filter({ hasText: name });
	return (await row.getByRole('cell').nth(3).textContent())?.trim() ?? null;
}

test('an admin creates a location and a kiosk and sees its one-time pairing code', async ({ page }) => {
	test.slow();
	const admin = newPerson('Ada', 'Admin');
	await createAdmin(admin);
	await logIn(page, admin, { firstUse: false });
	await page.goto('/admin/locations');
	const slug = `reception-${process.pid}`;
	await page.getByLabel('Name').first().fill('Main reception');
	await page.getByLabel('Short name for the poster link').fill(slug);
	await page.getByRole('button', { name: 'Add location' }).click();
	await expect(page.getByRole('status')).toHaveText('Added Main reception.');
	// Its own poster link: other tests add locations to the shared list at the same time.
	await page.locator(`a[href="/admin/locations/${slug}/poster"]`).click();
	await expect(page.getByRole('heading', { name: 'Main reception' })).toBeVisible();
	await expect(page.getByRole('img', { name: /QR code to sign in or out/ })).toBeVisible();
	await expect(page.getByText(`/e/${slug}`)).toBeVisible();

	await page.goto('/admin/kiosks');
	await page.getByLabel('Name').fill('Desk tablet');
	await page.getByLabel('Location').selectOption({ label: 'Main reception' });
	await page.getByRole('button', { name: 'Add kiosk' }).click();
	await expect(page.getByTestId('pairing-code')).toHaveText(/^[A-HJ-NP-Z2-9]{8}$/);
	await expect(page.getByRole('img', { name: 'QR code of the pairing link' })).toBeVisible();
	await page.reload();
	const row = page.getByRole('row').filter({ hasText: 'Desk tablet' });
	await expect(row).toContainText('Main reception');
	await expect(row).toContainText('waiting for pairing');
});

test('a presence code signs a logged-in phone in at the kiosk location; a stale one is refused in words', async ({ browser }) => {
	test.slow(); // two logins and two CLI runs
	const admin = newPerson('Ari', 'Admin');
	await createAdmin(admin);
	const adminPage = await (await browser.newContext()).newPage();
	await logIn(adminPage, admin, { firstUse: false });
	const slug = await newPlace('Lobby');
	const kiosk = await pairedKiosk(adminPage, slug);

	const phone = await (await browser.newContext()).newPage();
	const pia = newPerson('Pia', 'Presence');
	await logIn(phone, pia);
	await phone.goto(await presencePath(kiosk.presenceSecret, kiosk.kiosk.id, Date.now() - 10 * 60_000));
	await expect(phone.getByRole('alert')).toHaveText('The code from the kiosk screen is out of date. Scan the code on the screen again.');
	await expect(phone.getByRole('button', { name: /Sign in at/ })).toHaveCount(0);

	await phone.goto(await presencePath(kiosk.presenceSecret, kiosk.kiosk.id, Date.now()));
	await phone.getByRole('button', { name: 'Sign in at Lobby' }).click();
	await expect(status(phone)).toHaveText(/You are signed in since/);
	await expect(waiting(phone)).toHaveCount(0);
	await expect(phone.getByTestId('notice')).toHaveText(/successfully signed in/);
	expect(await whereOnReport(adminPage, 'Pia Presence')).toBe('Lobby · phone');
});

test('the poster at the bike entrance signs a logged-in phone in, and sends a stranger through login back to the confirm', async ({ browser }) => {
	test.slow(); // three logins and two CLI runs
	const admin = newPerson('Bo', 'Admin');
	await createAdmin(admin);
	const slug = await newPlace('Bike entrance');

	const phone = await (await browser.newContext()).newPage();
	const bea = newPerson('Bea', 'Bike');
	await logIn(phone, bea);
	await phone.goto(`/e/${slug}`);
	await phone.getByRole('button', { name: 'Sign in at Bike entrance' }).click();
	await expect(status(phone)).toHaveText(/You are signed in since/);
	await expect(waiting(phone)).toHaveCount(0);
	await expect(phone.getByRole('button', { name: 'Sign out at Bike entrance' })).toBeVisible();

	const stranger = await (await browser.newContext()).newPage();
	await stranger.goto(`/e/${slug}`);
	await expect(stranger).toHaveURL(new RegExp(`/login\\?next=${encodeURIComponent(`/e/${slug}`)}`));
	await logInHere(stranger, newPerson('Sam', 'Stranger'));
	await expect(stranger).toHaveURL(new RegExp(`/e/${slug}$`));
	await stranger.getByRole('button', { name: 'Sign in at Bike entrance' }).click();
	await expect(status(stranger)).toHaveText(/You are signed in since/);

	const adminPage = await (await browser.newContext()).newPage();
	await logIn(adminPage, admin, { firstUse: false });
	expect(await whereOnReport(adminPage, 'Bea Bike')).toBe('Bike entrance · poster');
	expect(await whereOnReport(adminPage, 'Sam Stranger')).toBe('Bike entrance · poster');
});

test('a location that requires the presence code sends poster scanners to the door display', async ({ page }) => {
	const slug = await newPlace('Side door', { requiresPresence: true });
	await logIn(page, newPerson('Dee', 'Door'));
	await page.goto(`/e/${slug}`);
	await expect(page.getByRole('status').filter({ hasText: 'door display' })).toHaveText('At this entrance, scan the code on the door display instead of the poster.');
	await expect(page.getByRole('button', { name: /Sign in at/ })).toHaveCount(0);
});

test('the poster works offline once the app was installed, and syncs when back online', async ({ browser }) => {
	test.slow();
	const slug = await newPlace('Bike entrance');
	const context = await browser.newContext();
	const page = await context.newPage();
	await logIn(page, newPerson('Olly', 'Offline'));
	await installApp(page);
	// The worker keeps the place pages' data when the staff page is opened.
	await expect.poll(() => page.evaluate(async () => Boolean(await caches.match('/place-context.json')))).toBe(true);

	await goOffline(context);
	const shell = await page.goto(`/e/${slug}`);
	expect(shell?.fromServiceWorker()).toBe(true);
	await page.getByRole('button', { name: 'Sign in at Bike entrance' }).click();
	await expect(status(page)).toHaveText(/You are signed in since/);
	await expect(waiting(page)).toHaveText(/Waiting to sync \(1\)/);

	await goOnline(context);
	await page.evaluate(() => window.dispatchEvent(new Event('online')));
	await expect(waiting(page)).toHaveCount(0);
	const reply = await page.request.get('/api/trpc/attendance.status');
	expect(((await reply.json()) as { result: { data: { signedIn: boolean } } }).result.data.signedIn).toBe(true);
	await context.close();
});

test('my badge is shown on my profile, and its link never logs anyone in', async ({ browser }) => {
	test.slow();
	const context = await browser.newContext();
	const page = await context.newPage();
	await logIn(page, newPerson('Bill', 'Badge'));
	await page.goto('/profile');
	await page.getByRole('button', { name: 'Get my badge' }).click();
	await expect(page.getByRole('img', { name: 'My badge QR code' })).toBeVisible();
	await page.reload();
	await expect(page.getByRole('img', { name: 'My badge QR code' })).toBeVisible();
	await page.getByRole('link', { name: 'Printable card' }).click();
	await expect(page.getByRole('article', { name: 'Badge of Bill Badge' })).toBeVisible();

	const admin = newPerson('Ben', 'Admin');
	await createAdmin(admin);
	const { stdout } = await cli('issue-badge', '--email', admin.email);
	const badgePath = /Badge: (\/b\/[A-Za-z0-9_-]{43})/.exec(stdout)![1]!;
	const stranger = await browser.newContext();
	const phone = await stranger.newPage();
	await phone.goto(badgePath);
	await expect(phone.getByRole('heading', { name: 'This is a badge' })).toBeVisible();
	await expect(phone.getByText('Scan it at the reception kiosk')).toBeVisible();
	expect((await stranger.cookies()).map((c) => c.name)).not.toContain('register_session');
	await phone.goto('/');
	await expect(phone).toHaveURL(/\/login/);
	await context.close();
	await stranger.close();
});
