/** Settings an admin changes reach staff at once, and the audit log says who changed what. */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser } from '@playwright/test';
import { createAdmin, logIn, newPerson, type Person } from './support';

async function loggedIn(browser: Browser, person: Person, firstUse: boolean) {
	const context = await browser.newContext();
	const page = await context.newPage();
	await logIn(page, person, { firstUse });
	return page;
}

test('an admin changes the declaration, staff see it on their page, and the audit log shows the change', async ({ browser }) => {
	test.slow();
	const admin = newPerson('Sofia', 'Settings');
	await createAdmin(admin);
	const page = await loggedIn(browser, admin, false);
	await page.goto('/admin/settings');
	const before = await page.getByLabel('Declaration').inputValue();
	const text = `I will show my badge at reception (${Date.now()}).`;
	await page.getByLabel('Declaration').fill(text);
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('status')).toHaveText('Saved.');

	const staff = await loggedIn(browser, newPerson('Stef', 'Staffer'), true);
	await expect(staff.getByText(text)).toBeVisible();

	await page.goto('/admin/audit');
	await page.getByLabel('Who acted').fill('Sofia Settings');
	await page.getByLabel('What').selectOption({ label: 'Changed a setting' });
	await page.getByRole('button', { name: 'Filter' }).click();
	const row = page.getByTestId('audit-table').getByRole('row', { name: /Sofia Settings/ });
	await expect(row).toHaveCount(1);
	await expect(row).toContainText('Changed a setting');
	await expect(row).toContainText(`declaration: “${before.length > 79 ? before.slice(0, 79) : before}`);
	await expect(row).toContainText(text);
	await expect(row).toContainText('Admin pages');
	await staff.context().close();
	await page.context().close();
});

test('a refused setting shows why and saves nothing', async ({ browser }) => {
	const admin = newPerson('Rita', 'Refused');
	await createAdmin(admin);
	const page = await loggedIn(browser, admin, false);
	await page.goto('/admin/settings');
	const declaration = await page.getByLabel('Declaration').inputValue();
	await page.getByLabel('Declaration').fill(`${declaration} and more`);
	await page.getByLabel('Maximum shift (hours)').fill('99');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('alert')).toHaveText('The maximum shift must be a whole number from 1 to 24.');
	await page.reload();
	await expect(page.getByLabel('Declaration')).toHaveValue(declaration);
	await expect(page.getByLabel('Maximum shift (hours)')).not.toHaveValue('99');
	await page.context().close();
});

test('axe finds no violations on /admin/settings and /admin/audit', async ({ browser }) => {
	const admin = newPerson('Ada', 'Accessible');
	await createAdmin(admin);
	const page = await loggedIn(browser, admin, false);
	for (const path of ['/admin/settings', '/admin/audit', '/admin/audit?action=sign-in']) {
		await page.goto(path);
		const results = await new AxeBuilder({ page }).analyze();
		expect({ path, violations: results.violations }).toEqual({ path, violations: [] });
	}
	await page.context().close();
});

test('staff are refused the audit log and the live snapshot', async ({ page }) => {
	await logIn(page, newPerson('Sven', 'Staff'));
	expect((await page.goto('/admin/audit'))?.status()).toBe(403);
	expect((await page.goto('/admin/live/snapshot'))?.status()).toBe(403);
});
