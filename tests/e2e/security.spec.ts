import { expect, test, type Page } from '@playwright/test';
import { e2eBaseUrl } from '../../playwright.config';
import { codeFor, logIn, newPerson } from './support';
import { readFileSync } from 'node:fs';
import { e2eServerLog } from '../../playwright.config';

/** A first login through the development method, starting from `/login?next=…` exactly as a link would. */
async function logInFrom(page: Page, loginUrl: string, firstName: string): Promise<void> {
	const person = newPerson(firstName, 'Redirected');
	await page.goto(loginUrl);
	await page.getByRole('link', { name: 'Development' }).click();
	await page.getByLabel('Email or phone').fill(person.email);
	const since = readFileSync(e2eServerLog, 'utf8').length;
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await page.getByLabel('Code').fill(await codeFor(person.email, since));
	await page.getByLabel('First name').fill(person.firstName);
	await page.getByLabel('Last name').fill(person.lastName);
	await page.getByRole('button', { name: 'Log in' }).click();
}

for (const next of ['/%09/evil.example', '/%5C/evil.example', '//evil.example', 'https://evil.example/', '/%0D%0A/evil.example']) {
	test(`a login with next=${next} lands on this site`, async ({ page }) => {
		await logInFrom(page, `/login?next=${next}`, 'Nadia');
		await expect(page.getByRole('heading', { name: 'Hi Nadia' })).toBeVisible();
		expect(new URL(page.url()).origin).toBe(e2eBaseUrl);
	});
}

test('a login with next on this site goes there', async ({ page }) => {
	await logInFrom(page, `/login?next=${encodeURIComponent('/profile')}`, 'Petra');
	await expect(page).toHaveURL(/\/profile$/);
	await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
});

test('another site cannot post the login-link form', async ({ page, request }) => {
	await logIn(page, newPerson('Cora', 'Csrf'));
	await page.goto('/profile');
	await page.getByRole('button', { name: 'Create a login link' }).click();
	const url = await page.getByRole('textbox', { name: 'Login link' }).inputValue();
	const forged = await request.post(url, { form: {}, headers: { origin: 'https://evil.example' }, maxRedirects: 0 });
	expect(forged.status()).toBe(403);
	expect(forged.headers()['set-cookie'] ?? '').not.toContain('register_session');
});
