import { expect, test } from '@playwright/test';
import { logIn, newPerson, press } from './support';

test('a newcomer logs in with the development method, signs in and signs out', async ({ page }) => {
	const ada = newPerson('Ada', 'Lovelace');
	await page.goto('/');
	await expect(page).toHaveURL(/\/login/);
	await logIn(page, ada);

	await expect(page.getByTestId('status')).toHaveText(/You are not signed in/);
	await expect(page.getByRole('heading', { name: 'Declaration' })).toBeVisible();
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'successfully' })).toHaveText(
		"You have successfully signed in. Don't forget to sign out when you leave.",
	);
	await expect(page.getByTestId('status')).toHaveText(/You are signed in since \d{2}:\d{2}/);
	await expect(page.getByTestId('sync-waiting')).toHaveCount(0);

	await page.reload();
	await expect(page.getByTestId('status')).toHaveText(/You are signed in since \d{2}:\d{2}/);
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'successfully' })).toHaveText('You have successfully signed out. See you again soon!');
	await expect(page.getByTestId('status')).toHaveText(/You are not signed in/);
	await expect(page.getByTestId('sync-waiting')).toHaveCount(0);
	await page.reload();
	await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test('a second person has a status of their own', async ({ browser }) => {
	const first = await browser.newContext();
	const second = await browser.newContext();
	const alan = newPerson('Alan', 'Turing');
	const grace = newPerson('Grace', 'Hopper');
	const alanPage = await first.newPage();
	const gracePage = await second.newPage();
	await logIn(alanPage, alan);
	await logIn(gracePage, grace);

	await press(alanPage, 'Sign in');
	await gracePage.reload();
	await expect(gracePage.getByTestId('status')).toHaveText(/You are not signed in/);
	await first.close();
	await second.close();
});

test('without JavaScript, a form rendered for another day refuses to sign in', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await logIn(page, newPerson('Wendy', 'Wrongdate'));
	// A tab left open overnight still carries the date it was rendered for. (With JavaScript the
	// outbox records the tap's own date instead: see offline-days.spec.ts.)
	await page.goto('/');
	await page.locator('input[name="date"]').evaluate((input: HTMLInputElement) => {
		input.value = '2001-01-01';
	});
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByTestId('notice')).toHaveText('Sorry, you attempted to sign in for the wrong date.');
	await page.goto('/');
	await expect(page.getByTestId('status')).toHaveText(/You are not signed in/);
	await context.close();
});

test('a returning person logs in without being asked for a name', async ({ browser }) => {
	const bob = newPerson('Bob', 'Returning');
	const firstVisit = await browser.newContext();
	await logIn(await firstVisit.newPage(), bob);
	await firstVisit.close();
	const secondVisit = await browser.newContext();
	const page = await secondVisit.newPage();
	await logIn(page, bob, { firstUse: false });
	await expect(page.getByLabel('First name')).toHaveCount(0);
	await secondVisit.close();
});

test('the whole flow works without JavaScript', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await logIn(page, newPerson('Nora', 'Noscript'));
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('status')).toHaveText(/successfully signed in/);
	await expect(page.getByTestId('status')).toHaveText(/You are signed in since/);
	await context.close();
});

test('login explains bad input and keeps what was typed', async ({ page }) => {
	await page.goto('/login/dev');
	await page.getByLabel('Email or phone').fill('fail');
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page.getByRole('alert')).toContainText('sample validation error');
	await expect(page.getByLabel('Email or phone')).toHaveValue('fail');

	await page.getByLabel('Email or phone').fill('not a phone');
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page.getByRole('alert')).toContainText('Enter a valid phone number');

	await page.getByLabel('Email or phone').fill('someone.new@example.com');
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await page.getByLabel('Code').fill('000000');
	await page.getByLabel('First name').fill('Some');
	await page.getByLabel('Last name').fill('One');
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('alert')).toContainText('That code is not right');
});

test('logging out ends the session', async ({ page }) => {
	await logIn(page, newPerson('Lou', 'Logout'));
	await page.getByRole('button', { name: 'Log out' }).click();
	await expect(page).toHaveURL(/\/login$/);
	await page.goto('/');
	await expect(page).toHaveURL(/\/login\?next=%2F$/);
});

test('an unknown page is a 404', async ({ page }) => {
	const response = await page.goto('/no-such-page');
	expect(response?.status()).toBe(404);
	const method = await page.goto('/login/carrier-pigeon');
	expect(method?.status()).toBe(404);
});
