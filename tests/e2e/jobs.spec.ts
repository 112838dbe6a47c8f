/** The admin's view of the scheduled jobs, and the "I left at…" page refusing a link it did not sign. */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { createAdmin, logIn, newPerson } from './support';

test('an admin sees the scheduled jobs page from the admin navigation; axe finds nothing; staff are refused', async ({ page, browser }) => {
	const admin = newPerson('Jo', 'Jobs');
	await logIn(page, admin);
	await createAdmin(admin);
	await page.goto('/admin/settings');
	await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Jobs' }).click();
	await expect(page.getByRole('heading', { name: 'Scheduled jobs' })).toBeVisible();
	await expect(page.getByText(/Reminders at 10:00 and 16:00, the end of the day at 23:30/)).toBeVisible();
	const results = await new AxeBuilder({ page }).analyze();
	expect(results.violations).toEqual([]);

	const staff = await browser.newContext();
	const staffPage = await staff.newPage();
	await logIn(staffPage, newPerson('Sam', 'Staff'));
	expect((await staffPage.goto('/admin/jobs'))?.status()).toBe(403);
	await staff.close();
});

test('a forged "I left at…" link is refused with a sentence, not an error page of the server', async ({ page }) => {
	const response = await page.goto('/left/eyJhbGciOiJIUzI1NiJ9.eyJwdXIiOiJsZWZ0LWF0IiwicmlkIjoxLCJzaWEiOjAsInN1YiI6IjEifQ.c2lnbmF0dXJl');
	expect(response?.status()).toBe(404);
	await expect(page.getByText('This link is not valid or has expired. Ask an admin to correct your record.')).toBeVisible();
});
