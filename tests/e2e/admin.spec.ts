import { expect, test } from '@playwright/test';
import { createAdmin, logIn, newPerson, press } from './support';

interface LegacyReport {
	users: Array<{
		first_name: string;
		last_name: string;
		emails: string[];
		phones: string[];
		status: string;
		records: Array<{ sign_in__timestamp: string; sign_out__timestamp: string | null }>;
	}>;
}

test('an admin sees who is in on /admin and in /report.json', async ({ browser }) => {
	test.slow(); // three people log in and the CLI runs once
	// A retry or a repeat meets the earlier run's people on the same day: names of its own keep the rows apart.
	const run = Math.random().toString(36).slice(2, 6);
	const ivy = newPerson('Ivy', `Insider-${run}`);
	const otto = newPerson('Otto', `Outsider-${run}`);
	for (const person of [ivy, otto]) {
		const context = await browser.newContext();
		const page = await context.newPage();
		await logIn(page, person);
		await press(page, 'Sign in');
		if (person === otto) await press(page, 'Sign out');
		await context.close();
	}

	const boss = newPerson('Beatrix', 'Boss');
	await createAdmin(boss);
	const context = await browser.newContext();
	const page = await context.newPage();
	await logIn(page, boss, { firstUse: false });
	await page.getByRole('link', { name: 'Admin' }).click();

	// The day's full table (the live "now" list above it names Ivy too).
	const dayTable = page.getByRole('table', { name: "Today's sign-ins" });
	const rowOf = (person: { firstName: string; lastName: string }) => dayTable.getByRole('row', { name: new RegExp(`^${person.firstName} ${person.lastName} \\d`) });
	const ivyRow = rowOf(ivy);
	const ottoRow = rowOf(otto);
	await expect(ivyRow).toHaveClass(/signed-in/);
	await expect(ottoRow).toHaveClass(/signed-out/);
	await expect(ottoRow.getByRole('cell').nth(2)).toHaveText(/^\d{2}:\d{2}$/);

	const response = await page.request.get('/report.json');
	expect(response.status()).toBe(200);
	const report = (await response.json()) as LegacyReport;
	const ivyEntry = report.users.find((u) => u.emails.includes(ivy.email));
	const ottoEntry = report.users.find((u) => u.emails.includes(otto.email));
	expect(ivyEntry).toMatchObject({ first_name: 'Ivy', last_name: ivy.lastName, phones: [], status: 'signed-in' });
	expect(ivyEntry!.records).toEqual([{ sign_in__timestamp: expect.stringMatching(/Z$/), sign_out__timestamp: null }]);
	expect(ottoEntry).toMatchObject({ status: 'signed-out' });
	expect(ottoEntry!.records[0]!.sign_out__timestamp).toMatch(/Z$/);
	expect(Object.keys(report)).toEqual(['users']);

	// The headline count agrees with the report, whatever other tests did today; another worker's
	// sign-in can land between the two reads, so they are read again until they meet.
	await expect(async () => {
		const users = ((await (await page.request.get('/report.json')).json()) as LegacyReport).users;
		const signedIn = users.filter((u) => u.status === 'signed-in').length;
		await page.reload();
		await expect(page.getByTestId('count')).toHaveText(
			signedIn === 1 ? 'There is currently 1 person signed-in' : `There are currently ${signedIn} people signed-in`,
			{ timeout: 2000 },
		);
	}).toPass({ timeout: 20_000 });
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Today, (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+$/);

	const names = report.users.map((u) => `${u.first_name} ${u.last_name}`);
	expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));

	const past = await page.request.get('/report.json?date=2001-01-01');
	expect(await past.json()).toEqual({ users: [] });
	const bad = await page.request.get('/report.json?date=2001-02-30');
	expect(bad.status()).toBe(400);
	await context.close();
});

test('an admin can change the declaration staff confirm', async ({ browser }) => {
	const admin = newPerson('Dora', 'Declarer');
	await createAdmin(admin);
	const context = await browser.newContext();
	const page = await context.newPage();
	await logIn(page, admin, { firstUse: false });
	await page.goto('/admin/settings');
	const text = `I will wear my lanyard at all times (${Date.now()}).`;
	await page.getByLabel('Declaration').fill(text);
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('status')).toHaveText('Saved.');
	await page.goto('/');
	await expect(page.getByText(text)).toBeVisible();
	await context.close();
});

test('staff are refused the admin pages and the report', async ({ page }) => {
	await logIn(page, newPerson('Stan', 'Staff'));
	await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
	expect((await page.goto('/admin'))?.status()).toBe(403);
	expect((await page.goto('/admin/settings'))?.status()).toBe(403);
	expect((await page.request.get('/report.json')).status()).toBe(403);
});

test('strangers are sent to log in and get 401 from the report', async ({ page }) => {
	await page.goto('/admin');
	await expect(page).toHaveURL(/\/login\?next=%2Fadmin$/);
	expect((await page.request.get('/report.json')).status()).toBe(401);
});
