/**
 * The reception kiosk (issue 9) in Chromium with a fake camera playing a
 * badge QR. Each badge video needs a browser of its own (one fake camera
 * file per launch); the camera is allowed only when a test wants scanning.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { e2eBaseUrl, e2eDir } from '../../playwright.config';
import { goOffline, goOnline, installApp } from './offline-support';
import { browserWithCamera, writeQrVideo } from './support/fake-camera';
import { readQr } from './support/qr-reader';
import {
	badgeUrl,
	expectKioskKeptOffline,
	expectResult,
	FIRST_SIGHTING_MS,
	kioskAdmin,
	kioskStoreOf,
	kioskWaiting,
	makeKiosk,
	makePerson,
	pairTablet,
	recordsOf,
	scanResult,
	type BadgeHolder,
} from './support/kiosk-support';
import { presenceMac, readPresencePath } from '../../src/lib/contracts/kiosk-protocol';

// Each test starts helper processes (tsx) and often a browser of its own: the slow-test budget, on a loaded machine too.
test.beforeEach(() => test.slow());

let videos = 0;
/** A browser whose camera shows `holder`'s badge for a second, then a blank picture for two, over and over. */
async function tabletShowing(holder: BadgeHolder | string): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
	const text = typeof holder === 'string' ? holder : badgeUrl(e2eBaseUrl, holder.secret);
	const video = writeQrVideo(`${e2eDir}/videos/badge-${process.pid}-${++videos}.y4m`, [...Array(10).fill(text), ...Array(20).fill(null)], { framesEach: 1 });
	const browser = await browserWithCamera(video);
	const context = await browser.newContext({ baseURL: e2eBaseUrl });
	return { browser, context, page: await context.newPage() };
}

async function allowCamera(context: BrowserContext, page: Page): Promise<void> {
	await context.grantPermissions(['camera'], { origin: e2eBaseUrl });
	await page.reload();
}

test('an unpaired tablet is sent to pairing, an unknown code is refused clearly, and a good code pairs it', async ({ page }) => {
	await page.goto('/kiosk');
	await expect(page).toHaveURL(/\/kiosk\/pair$/);

	await page.getByLabel('Pairing code').fill('ABCD2345');
	await page.getByRole('button', { name: 'Pair' }).click();
	await expect(page.getByRole('alert')).toContainText(/not (valid|known)|pairing code/i);
	expect((await kioskStoreOf(page)).pairing).toBeUndefined();

	const kiosk = await makeKiosk('Front desk', 'Reception');
	await page.getByLabel('Pairing code').fill(kiosk.code.toLowerCase());
	await page.getByRole('button', { name: 'Pair' }).click();
	await expect(page).toHaveURL(/\/kiosk$/);
	await expect(page.getByTestId('kiosk-location')).toHaveText('Reception');

	await page.reload(); // the pairing is kept in IndexedDB
	await expect(page.getByTestId('kiosk-location')).toHaveText('Reception');
	await expect(page.getByRole('img', { name: /Presence code/ })).toBeVisible();
});

test('a badge scanned online signs its owner in at the kiosk location, and again within 30 s records nothing', async () => {
	const ada = await makePerson('Ada');
	const kiosk = await makeKiosk();
	const { browser, context, page } = await tabletShowing(ada);
	try {
		await pairTablet(page, kiosk.code);
		const before = Date.now();
		await allowCamera(context, page);
		await expectResult(page, 'Ada', 'in');
		const after = Date.now();
		await expect(kioskWaiting(page)).toHaveText('All scans sent');

		// The video shows the badge again every three seconds: the kiosk repeats the result and records nothing.
		await expect(scanResult(page)).toContainText('Already recorded a moment ago', { timeout: 15_000 });
		await expect(scanResult(page)).toContainText(/Signed in \d{2}:\d{2}/);
		expect((await kioskStoreOf(page)).scans).toHaveLength(1);

		const records = await recordsOf(ada.userId);
		expect(records).toHaveLength(1);
		expect(records[0]).toMatchObject({ signOutAt: null, location: kiosk.location.slug });
		expect(Date.parse(records[0]!.signInAt)).toBeGreaterThanOrEqual(before - 1_000);
		expect(Date.parse(records[0]!.signInAt)).toBeLessThanOrEqual(after);
	} finally {
		await browser.close();
	}
});

test('scans made offline survive a reload and reach the register with their scan times on reconnect', async () => {
	const grace = await makePerson('Grace');
	const kiosk = await makeKiosk('Side desk', 'Reception');
	const { browser, context, page } = await tabletShowing(grace);
	try {
		await pairTablet(page, kiosk.code);
		await installApp(page); // now under the service worker, which keeps the kiosk for offline use
		await expectKioskKeptOffline(page);

		await goOffline(context);
		const scannedFrom = Date.now();
		await allowCamera(context, page); // the reload is answered by the service worker
		await expectResult(page, 'Grace', 'in');
		const scannedBy = Date.now();
		await expect(kioskWaiting(page)).toHaveText('1 scan waiting to sync');
		await expect(page.getByText('Offline: scans are kept on this tablet')).toBeVisible();

		// The camera off before the reload: the scan must come back from IndexedDB, not from the badge being
		// seen again (the repeat rule has a test of its own, and on a slow machine 30 s can pass before a re-sighting).
		await context.clearPermissions();
		await page.reload();
		await expect(kioskWaiting(page)).toHaveText('1 scan waiting to sync'); // from IndexedDB
		expect(await recordsOf(grace.userId)).toHaveLength(0);

		await page.waitForTimeout(1_000); // so the sync time differs from the scan time
		const onlineFrom = Date.now();
		await goOnline(context);
		await expect(kioskWaiting(page)).toHaveText('All scans sent', { timeout: 15_000 });

		const records = await recordsOf(grace.userId);
		expect(records).toHaveLength(1);
		expect(records[0]!.location).toBe(kiosk.location.slug);
		const at = Date.parse(records[0]!.signInAt);
		expect(at).toBeGreaterThanOrEqual(scannedFrom - 1_000);
		expect(at).toBeLessThanOrEqual(scannedBy);
		expect(at).toBeLessThan(onlineFrom);
	} finally {
		await browser.close();
	}
});

test('a revoked badge is refused with a clear message and nothing is recorded', async () => {
	const linus = await makePerson('Linus');
	await kioskAdmin('revoke-badge', String(linus.userId));
	const kiosk = await makeKiosk();
	const { browser, context, page } = await tabletShowing(linus);
	try {
		await pairTablet(page, kiosk.code);
		await allowCamera(context, page);
		await expect(scanResult(page)).toContainText('This badge is not recognised', { timeout: FIRST_SIGHTING_MS });
		expect((await kioskStoreOf(page)).scans).toHaveLength(0);
		expect(await recordsOf(linus.userId)).toHaveLength(0);
	} finally {
		await browser.close();
	}
});

test("a presence code or another building's badge shown to the kiosk is refused and records nothing", async () => {
	const kiosk = await makeKiosk();
	const { browser, context, page } = await tabletShowing(`https://elsewhere.example.com/b/${'x'.repeat(43)}`);
	try {
		await pairTablet(page, kiosk.code);
		await allowCamera(context, page);
		await expect(scanResult(page)).toContainText('This badge belongs to another building.', { timeout: FIRST_SIGHTING_MS });
		expect((await kioskStoreOf(page)).scans).toHaveLength(0);
	} finally {
		await browser.close();
	}
});

test('a revoked kiosk stops with a clear screen, and the scans it held are counted as refused', async () => {
	const ken = await makePerson('Ken');
	const kiosk = await makeKiosk();
	const { browser, context, page } = await tabletShowing(ken);
	try {
		await pairTablet(page, kiosk.code);
		await context.route('**/api/**', (route) => route.abort('internetdisconnected'));
		await allowCamera(context, page);
		await expectResult(page, 'Ken', 'in');
		await expect(kioskWaiting(page)).toHaveText('1 scan waiting to sync');

		await kioskAdmin('revoke-kiosk', String(kiosk.kioskId));
		await context.unroute('**/api/**');
		await page.reload();
		await expect(page.getByRole('alert')).toContainText('This kiosk was revoked');
		await expect(page.getByTestId('kiosk-refused')).toHaveText('1 scan was refused by the register');
		expect(await recordsOf(ken.userId)).toHaveLength(0);

		await page.reload(); // it stays stopped
		await expect(page.getByRole('alert')).toContainText('This kiosk was revoked');
	} finally {
		await browser.close();
	}
});

test('"Type your name" lists names by first letter and signs the person in at the kiosk', async ({ page }) => {
	const zelda = await makePerson('Zelda');
	const kiosk = await makeKiosk();
	await pairTablet(page, kiosk.code);
	await page.getByRole('button', { name: /Type your name/ }).click();
	await page.getByRole('group', { name: 'First letter' }).getByRole('button', { name: 'Z', exact: true }).click();
	await expect(page.getByRole('dialog')).not.toContainText('@');
	await page.getByRole('button', { name: 'Zelda Kiosk' }).click();
	await expectResult(page, 'Zelda', 'in');
	await expect(kioskWaiting(page)).toHaveText('All scans sent');
	expect(await recordsOf(zelda.userId)).toMatchObject([{ signOutAt: null, location: kiosk.location.slug }]);
});

test('the presence code on the kiosk is readable and changes every 30 seconds; ?display shows only the code', async ({ page }) => {
	await page.clock.install();
	const kiosk = await makeKiosk();
	await pairTablet(page, kiosk.code);
	const { pairing } = (await kioskStoreOf(page)) as { pairing: { presenceSecret: string } };
	const code = page.getByRole('img', { name: /Presence code/ });
	// Stop the clock a second into the next 30-second slot, so the code cannot change between reading it and its URL.
	const now = await page.evaluate(() => Date.now());
	await page.clock.pauseAt(Math.floor(now / 30_000) * 30_000 + 31_000);
	await expect(code).toHaveAttribute('data-url', /\/k\//);

	const first = await readQr(await code.screenshot());
	expect(first).toBe(await code.getAttribute('data-url'));
	const parts = readPresencePath(new URL(first!).pathname)!;
	expect(new URL(first!).origin).toBe(e2eBaseUrl);
	expect(parts.kioskId).toBe(kiosk.kioskId);
	expect(parts.mac).toBe(await presenceMac(pairing.presenceSecret, kiosk.kioskId, parts.slot));

	await page.clock.fastForward(30_000);
	await expect(code).not.toHaveAttribute('data-url', first!);
	const second = await readQr(await code.screenshot());
	expect(readPresencePath(new URL(second!).pathname)!.slot).toBe(parts.slot + 1);

	await page.goto('/kiosk?display');
	await expect(page.getByRole('img', { name: /Presence code/ })).toBeVisible();
	await expect(page.getByTestId('camera')).toHaveCount(0);
	await expect(page.getByRole('button', { name: /Type your name/ })).toHaveCount(0);
});
