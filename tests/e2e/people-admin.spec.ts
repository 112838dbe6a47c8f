import { expect, test, type Browser, type Page } from '@playwright/test';
import { createAdmin, logIn, newPerson, type Person } from './support';

/** Logs a person in (first use) in a context of their own and closes it: they now exist. */
async function register(browser: Browser, person: Person): Promise<void> {
	const context = await browser.newContext();
	await logIn(await context.newPage(), person);
	await context.close();
}

async function adminPage(browser: Browser, label: string): Promise<Page> {
	const admin = newPerson(label, 'Admin');
	await createAdmin(admin);
	const page = await (await browser.newContext()).newPage();
	await logIn(page, admin, { firstUse: false });
	return page;
}

/** A surname no other test (or earlier run) uses, so searches find only this test's people. */
const uniqueSurname = (stem: string) => `${stem}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);

test('staff are refused the user pages with 403', async ({ page }) => {
	await logIn(page, newPerson('Sid', 'Staff'));
	expect((await page.goto('/admin/users'))?.status()).toBe(403);
	expect((await page.goto('/admin/users/1'))?.status()).toBe(403);
	expect((await page.goto('/admin/people/1'))?.status()).toBe(403);
	expect((await page.goto('/admin/users/merge?id=1&id=2'))?.status()).toBe(403);
	const post = await page.request.post('/admin/people/1?/setRole', {
		form: { role: 'admin' },
		headers: { origin: new URL(page.url()).origin },
	});
	expect(post.status()).toBe(403);
	await page.goto('/');
	await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
});

test('an admin changes a role and merges two accounts of one person', async ({ browser }) => {
	test.slow(); // three people log in and the CLI runs once
	const surname = uniqueSurname('Twin');
	const first = newPerson('Mara', surname);
	const second = { ...newPerson('Mara', surname), email: first.email.replace('@', '.second@') };
	await register(browser, first);
	await register(browser, second);

	const page = await adminPage(browser, 'Morgan');
	await page.getByRole('link', { name: 'Admin' }).click();
	await page.getByRole('link', { name: 'Users' }).click();
	await page.getByLabel('Search by name, username, email or phone').fill(`mara ${surname}`);
	await page.getByRole('button', { name: 'Search' }).click();
	await expect(page.getByRole('row')).toHaveCount(3); // the header and the two accounts

	await page.getByRole('link', { name: `Mara ${surname}` }).first().click();
	await page.getByRole('combobox', { name: 'Role' }).selectOption('marshal');
	await page.getByRole('button', { name: 'Save role' }).click();
	await expect(page.getByRole('status')).toHaveText('Role saved: marshal.');
	await page.reload();
	await expect(page.getByRole('combobox', { name: 'Role' })).toHaveValue('marshal');
	await expect(page.getByText('role-changed')).toBeVisible();

	await page.goto(`/admin/users?q=${surname}`);
	for (const checkbox of await page.getByRole('checkbox').all()) await checkbox.check();
	await page.getByRole('button', { name: 'Merge selected…' }).click();
	await expect(page.getByRole('heading', { name: 'Merge users' })).toBeVisible();
	const keptRow = page.getByRole('row', { name: /kept/ });
	await expect(keptRow).toContainText(`mara.${surname.toLowerCase()}`);
	await expect(keptRow).not.toContainText(`mara.${surname.toLowerCase()}.1`);
	await page.getByRole('button', { name: 'Merge 2 accounts' }).click();

	await expect(page.getByRole('status')).toHaveText('Merged 1 other account into this one.');
	await expect(page.getByRole('heading', { name: `Mara ${surname}` })).toBeVisible();
	await expect(page.getByRole('cell', { name: first.email })).toBeVisible();
	await expect(page.getByRole('cell', { name: second.email })).toBeVisible();
	await expect(page.getByText('users-merged')).toBeVisible();

	await page.goto(`/admin/users?q=${surname}`);
	await expect(page.getByRole('row')).toHaveCount(2);

	// The second email now logs in to the kept account.
	const context = await browser.newContext();
	const secondPage = await context.newPage();
	await logIn(secondPage, second, { firstUse: false });
	await context.close();
	await page.context().close();
});

test('an admin creates a login link for someone, which logs a fresh browser in as them', async ({ browser }) => {
	const surname = uniqueSurname('Linked');
	const person = newPerson('Lola', surname);
	await register(browser, person);
	const page = await adminPage(browser, 'Lenny');
	await page.goto(`/admin/users?q=${surname}`);
	await page.getByRole('link', { name: `Lola ${surname}` }).click();
	await page.getByRole('button', { name: 'Create login link' }).click();
	const url = await page.getByRole('textbox', { name: 'Login link' }).inputValue();
	await expect(page.getByRole('img', { name: 'QR code of the login link' })).toBeVisible();

	const context = await browser.newContext();
	const lola = await context.newPage();
	await lola.goto(url);
	await lola.getByRole('button', { name: 'Log in as Lola' }).click();
	await expect(lola.getByRole('heading', { name: 'Hi Lola' })).toBeVisible();
	await context.close();
	await page.context().close();
});

test('an admin erases a person after typing their username', async ({ browser }) => {
	const surname = uniqueSurname('Gone');
	const person = newPerson('Ezra', surname);
	await register(browser, person);
	const page = await adminPage(browser, 'Erin');
	await page.goto(`/admin/users?q=${surname}`);
	await page.getByRole('link', { name: `Ezra ${surname}` }).click();
	const username = `ezra.${surname.toLowerCase()}`;

	await page.getByLabel(/Type the username/).fill('someone.else');
	await page.getByRole('button', { name: `Erase Ezra ${surname}` }).click();
	await expect(page.getByRole('alert')).toHaveText(`Type the username ${username} to confirm.`);

	await page.getByLabel(/Type the username/).fill(username);
	await page.getByRole('button', { name: `Erase Ezra ${surname}` }).click();
	await expect(page.getByRole('status')).toHaveText(`${username} was erased.`);
	await page.goto(`/admin/users?q=${surname}`);
	await expect(page.getByText('Nobody matches that search.')).toBeVisible();
	await page.context().close();
});
