/**
 * The offline promise across days and devices: a page cached yesterday and
 * opened today with no network, a night shift that ends after midnight, and
 * two devices of one person that disagree until they sync. The server's clock
 * is moved with libfaketime and the browser's with page.clock; "offline" is
 * the server stopped as well as every request aborted.
 */
import { expect, test, type Page } from '@playwright/test';
import { fakeTime } from '../support/fake-time';
import { ownServer } from './own-server';
import { goOffline, goOnline, installApp, status, waiting } from './offline-support';
import { createAdmin, logIn, newPerson, press } from './support';

const DAY = 86_400_000;

interface Report {
	users: Array<{ emails: string[]; records: Array<{ sign_in__timestamp: string; sign_out__timestamp: string | null }> }>;
}

async function recordsOn(page: Page, email: string, date?: string) {
	const report = (await (await page.request.get(`/report.json${date ? `?date=${date}` : ''}`)).json()) as Report;
	return report.users.find((u) => u.emails.includes(email))?.records ?? [];
}

const notice = (page: Page) => page.getByTestId('notice');

test('a page cached yesterday, opened today offline, signs in today at the tap and syncs as today', async ({ browser }) => {
	test.slow();
	const server = ownServer({ slot: 4, name: 'new-day' });
	const person = newPerson('Yuri', 'Yesterday');
	await server.start(fakeTime('-1d'));
	try {
		await createAdmin(person, server.dataDir);
		const context = await browser.newContext({ baseURL: server.baseURL });
		const page = await context.newPage();
		await page.clock.setSystemTime(Date.now() - DAY);
		await logIn(page, person, { firstUse: false, log: server.log });
		await press(page, 'Sign in'); // yesterday, and never signed out
		await installApp(page);
		await expect(status(page)).toHaveText(/You are signed in since/);

		await server.stop();
		await goOffline(context);
		await page.clock.setSystemTime(Date.now());
		const tapFrom = Date.now();
		const shell = await page.reload();
		expect(shell?.fromServiceWorker()).toBe(true);
		// Yesterday's open record is past the maximum shift: today starts signed out.
		await expect(status(page)).toHaveText(/You are not signed in/);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(status(page)).toHaveText(/You are signed in since \d{2}:\d{2}$/);
		await expect(notice(page)).toHaveText('Sign-in recorded on this phone. It will reach the register when you are back online.');
		await expect(waiting(page)).toHaveText(/Waiting to sync \(1\) since \d{2}:\d{2}(?! on)/);
		const tapBy = Date.now();

		await server.start();
		await goOnline(context);
		await page.evaluate(() => window.dispatchEvent(new Event('online')));
		await expect(waiting(page)).toHaveCount(0);
		await expect(notice(page)).toHaveText("You have successfully signed in. Don't forget to sign out when you leave.");
		const today = await recordsOn(page, person.email);
		expect(today).toHaveLength(1);
		const signedIn = Date.parse(today[0]!.sign_in__timestamp);
		expect(signedIn).toBeGreaterThanOrEqual(tapFrom - 1_000);
		expect(signedIn).toBeLessThanOrEqual(tapBy);
		const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
		expect((await recordsOn(page, person.email, yesterday)).map((r) => r.sign_out__timestamp)).toEqual([null]);
		await context.close();
	} finally {
		await server.stop();
	}
});

test('a night shift signed in at 22:00 and out offline at 06:00 the next day is one record dated the first day', async ({ browser }) => {
	test.slow();
	const server = ownServer({ slot: 5, name: 'midnight' });
	const person = newPerson('Nina', 'Nightshift');
	await server.start(fakeTime('@2026-11-23 22:00:00'));
	try {
		await createAdmin(person, server.dataDir);
		const context = await browser.newContext({ baseURL: server.baseURL });
		const page = await context.newPage();
		await page.clock.setSystemTime(new Date('2026-11-23T22:00:00Z'));
		await logIn(page, person, { firstUse: false, log: server.log });
		await press(page, 'Sign in');
		await installApp(page);

		await server.stop();
		await goOffline(context);
		await page.clock.setSystemTime(new Date('2026-11-24T06:00:00Z'));
		await page.reload();
		await expect(status(page)).toHaveText(/You are signed in since 22:0\d on Monday 23 November/);
		await page.getByRole('button', { name: 'Sign out' }).click();
		await expect(status(page)).toHaveText(/You are not signed in/);
		await expect(waiting(page)).toHaveText(/Waiting to sync \(1\)/);

		await server.start(fakeTime('@2026-11-24 06:00:30'));
		await goOnline(context);
		await page.evaluate(() => window.dispatchEvent(new Event('online')));
		await expect(waiting(page)).toHaveCount(0);
		const records = await recordsOn(page, person.email, '2026-11-23');
		expect(records).toHaveLength(1);
		expect(records[0]!.sign_in__timestamp).toMatch(/^2026-11-23T22:0/);
		expect(records[0]!.sign_out__timestamp).toMatch(/^2026-11-24T06:00/);
		await context.close();
	} finally {
		await server.stop();
	}
});

test('a sign-in queued on a phone and a sign-out on a laptop end as one record once the phone syncs', async ({ browser }) => {
	test.slow();
	const person = newPerson('Dora', 'Devices');
	await createAdmin(person);
	const phone = await browser.newContext();
	const laptop = await browser.newContext();
	const phonePage = await phone.newPage();
	const laptopPage = await laptop.newPage();
	await logIn(phonePage, person, { firstUse: false });
	await logIn(laptopPage, person, { firstUse: false });
	await installApp(phonePage);

	await goOffline(phone);
	await phonePage.getByRole('button', { name: 'Sign in' }).click();
	await expect(waiting(phonePage)).toHaveText(/Waiting to sync \(1\)/);

	// The laptop's register has not heard of the sign-in: its sign-out changes nothing, and says so.
	await laptopPage.reload();
	await expect(status(laptopPage)).toHaveText(/You are not signed in/);
	const reply = await laptopPage.request.post('/api/trpc/attendance.signOut', { data: {}, headers: { origin: new URL(laptopPage.url()).origin } });
	expect(((await reply.json()) as { result: { data: { outcome: string; message: string } } }).result.data).toMatchObject({
		outcome: 'no-op',
		message: 'You were not signed in, so there was nothing to sign out of.',
	});
	expect(await recordsOn(laptopPage, person.email)).toEqual([]);

	await goOnline(phone);
	await phonePage.evaluate(() => window.dispatchEvent(new Event('online')));
	await expect(waiting(phonePage)).toHaveCount(0);
	const records = await recordsOn(laptopPage, person.email);
	expect(records).toHaveLength(1);
	expect(records[0]!.sign_out__timestamp).not.toBeNull();
	await expect(status(phonePage)).toHaveText(/You are not signed in/);
	await phone.close();
	await laptop.close();
});
