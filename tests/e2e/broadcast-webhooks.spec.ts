/** Emergency broadcast from the admin page to people in the building, their "I'm safe" replies, and axe on the new admin pages. */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser } from '@playwright/test';
import type { CapturedEmail } from '../fakes/smtp.fake';
import { fakePorts, loopback } from '../fakes/ports';
import { createAdmin, logIn, newPerson, press, type Person } from './support';

async function loggedIn(browser: Browser, person: Person, firstUse = true) {
	const context = await browser.newContext();
	const page = await context.newPage();
	await logIn(page, person, { firstUse });
	return page;
}

async function safeLinkMailedTo(email: string): Promise<string> {
	let link = '';
	await expect
		.poll(async () => {
			const mails = (await (await fetch(`${loopback(fakePorts.inspector)}/captured/smtp`)).json()) as CapturedEmail[];
			const mail = mails.find((m) => m.to.includes(email) && m.subject.endsWith('emergency message'));
			link = /https?:\/\/\S+\/safe\/\S+/.exec(mail?.text ?? '')?.[0] ?? '';
			return link;
		}, { message: `the broadcast email to ${email}` })
		.toMatch(/\/safe\//);
	return link;
}

test('an admin broadcasts to everyone in the building, sees each person reached, and sees who answered "I\'m safe"', async ({ browser }) => {
	test.slow();
	const admin = newPerson('Bea', 'Broadcaster');
	await createAdmin(admin);
	const ada = newPerson('Ada', 'Inside');
	const ben = newPerson('Ben', 'Inside');
	const adaPage = await loggedIn(browser, ada);
	const benPage = await loggedIn(browser, ben);
	await press(adaPage, 'Sign in');
	await press(benPage, 'Sign in');
	// The running app tells Slack and Teams (the local receiver) of each sign-in.
	await expect
		.poll(async () => ((await (await fetch(`${loopback(fakePorts.inspector)}/captured/slack`)).json()) as { path: string; text: string }[]).filter((r) => r.text.includes('User Ben Inside signed in. There are now ')).map((r) => r.path).sort())
		.toEqual(['/slack', '/teams']);

	const page = await loggedIn(browser, admin, false);
	await page.goto('/admin/broadcast');
	await page.getByLabel('Message', { exact: true }).fill('Fire alarm: leave by the nearest exit.');
	await page.getByLabel('Everyone in the building now').check();
	await page.getByRole('button', { name: 'Send broadcast' }).click();
	await expect(page).toHaveURL(/\/admin\/broadcast\?id=\d+/);
	const adaRow = page.getByRole('row', { name: /Ada Inside/ });
	const benRow = page.getByRole('row', { name: /Ben Inside/ });
	await expect(adaRow).toContainText('Delivered');
	await expect(adaRow).toContainText('email: sent');
	await expect(benRow).toContainText('Delivered');
	await expect(page.getByRole('row', { name: /Bea Broadcaster/ })).toHaveCount(0);

	// Ada answers from the link in her email; the admin's page shows it without a reload.
	await adaPage.goto(await safeLinkMailedTo(ada.email));
	await expect(adaPage.getByText('Fire alarm: leave by the nearest exit.')).toBeVisible();
	await adaPage.getByRole('button', { name: "I'm safe" }).click();
	await expect(adaPage.getByRole('status')).toContainText('we know you are safe');
	await expect(adaRow).toContainText(/Safe at \d\d:\d\d/);
	await expect(benRow).not.toContainText('Safe at');
	const results = await new AxeBuilder({ page }).analyze();
	expect(results.violations).toEqual([]);

	await page.goto('/safe/1.1.00000000000000000000000000000000');
	await expect(page.getByText('This link is not valid')).toBeVisible();
	for (const p of [adaPage, benPage, page]) await p.context().close();
});

test('axe finds no violations on /admin/webhooks and /admin/broadcast', async ({ browser }) => {
	const admin = newPerson('Axel', 'Accessible');
	await createAdmin(admin);
	const page = await loggedIn(browser, admin, false);
	await page.goto('/admin/webhooks');
	await page.getByLabel('URL').fill('ftp://example.org/hook');
	await page.getByRole('button', { name: 'Add webhook' }).click();
	await expect(page.getByRole('alert')).toContainText('https://');
	for (const path of ['/admin/webhooks', '/admin/broadcast']) {
		await page.goto(path);
		const results = await new AxeBuilder({ page }).analyze();
		expect({ path, violations: results.violations }).toEqual({ path, violations: [] });
	}
	await page.context().close();
});

test('an admin adds a webhook, sees its secret once, and sees a sign-in delivered to it', async ({ browser }) => {
	test.slow();
	const admin = newPerson('Wes', 'Webhooks');
	await createAdmin(admin);
	const page = await loggedIn(browser, admin, false);
	await page.goto('/admin/webhooks');
	const url = `${loopback(fakePorts.slack)}/hooks/e2e-${Date.now()}`;
	await page.getByLabel('URL').fill(url);
	await page.getByRole('button', { name: 'Add webhook' }).click();
	await expect(page.getByTestId('webhook-secret')).toHaveText(/^[0-9a-f]{64}$/);
	await page.reload();
	await expect(page.getByTestId('webhook-secret')).toHaveCount(0);
	await expect(page.getByRole('cell', { name: url, exact: true }).first()).toBeVisible();

	const staff = await loggedIn(browser, newPerson('Sia', 'Signer'));
	await press(staff, 'Sign in');
	await expect
		.poll(async () => {
			await page.reload();
			return page.getByRole('row', { name: new RegExp(`sign-in ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} delivered`) }).count();
		})
		.toBeGreaterThan(0);
	await page.getByRole('button', { name: `Remove ${url}` }).click();
	await expect(page.getByRole('status')).toHaveText('Removed.');
	await staff.context().close();
	await page.context().close();
});
