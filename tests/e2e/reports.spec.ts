import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { createAdmin, logIn, newPerson, press } from './support';
import { parseCsv } from '../support/parse-csv';

interface LegacyReport {
	users: Array<{ first_name: string; last_name: string; status: string; records: Array<{ sign_in__timestamp: string; sign_out__timestamp: string | null }> }>;
}

/** The building's wall clock (Europe/London, the server's default) as a datetime-local value. */
function londonLocal(at: Date): string {
	const p = Object.fromEntries(
		new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
			.formatToParts(at)
			.map((x) => [x.type, x.value]),
	);
	return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * Two wall-clock times earlier today, building time, the first before the
 * second: two hours and one hour ago, or nearer midnight the start of the day
 * and half the time since. The record keeps today's date whenever the test
 * runs; in the first two minutes of a day it waits for room.
 */
async function pastTimesToday(): Promise<[string, string]> {
	const minutesToday = () => {
		const [hour, minute] = londonLocal(new Date()).slice(11).split(':').map(Number) as [number, number];
		return hour * 60 + minute;
	};
	if (minutesToday() < 2) {
		test.setTimeout(test.info().timeout + 180_000);
		await new Promise((resolve) => setTimeout(resolve, (2 - minutesToday()) * 60_000 + 1_000));
	}
	const now = new Date();
	const minutes = minutesToday();
	if (minutes >= 180) return [londonLocal(new Date(now.getTime() - 2 * 3_600_000)), londonLocal(new Date(now.getTime() - 3_600_000))];
	const today = londonLocal(now).slice(0, 10);
	const half = Math.floor(minutes / 2);
	return [`${today}T00:00`, `${today}T${String(Math.floor(half / 60)).padStart(2, '0')}:${String(half % 60).padStart(2, '0')}`];
}

async function noAxeViolations(page: Page) {
	const results = await new AxeBuilder({ page }).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function download(page: Page, kind: 'visits' | 'stats', format: 'csv' | 'xlsx', date: string): Promise<Buffer> {
	const form = page.locator('form', { has: page.getByRole('heading', { name: 'Export' }) });
	await form.getByLabel('Export').selectOption(kind);
	await form.getByLabel('Format').selectOption(format);
	await form.getByLabel('From').fill(date);
	await form.getByLabel('To').fill(date);
	const [file] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Download' }).click()]);
	expect(file.suggestedFilename()).toBe(`${kind}-${date}-to-${date}.${format}`);
	return readFileSync((await file.path())!);
}

test('an admin corrects a forgotten sign-out; the report page, /report.json and the exports agree', async ({ browser }) => {
	test.slow(); // two people log in and the CLI runs once
	const lastName = `Fixer${Date.now().toString(36)}`;
	const forgetful = newPerson('Fay', lastName);
	const staff = await browser.newContext();
	const phone = await staff.newPage();
	await logIn(phone, forgetful);
	await press(phone, 'Sign in');
	await staff.close();

	const ada = newPerson('Ada', `Admin${Date.now().toString(36)}`);
	await createAdmin(ada);
	const context = await browser.newContext({ acceptDownloads: true });
	const page = await context.newPage();
	await logIn(page, ada, { firstUse: false });
	await page.goto('/admin/reports');
	await noAxeViolations(page);

	const row = page.getByRole('row', { name: new RegExp(`Fay ${lastName}`) });
	await expect(row).toHaveClass(/signed-in/);
	await row.getByRole('link', { name: /Correct/ }).click();
	await expect(page.getByRole('heading', { name: 'Correct a record' })).toBeVisible();
	await noAxeViolations(page);

	// Say Fay came earlier today and has left: both times in the past, within a day of the tap.
	const [signIn, signOut] = await pastTimesToday();
	await page.getByLabel('Signed in at').fill(signIn);
	await page.getByLabel('Signed out at').fill(signOut);
	await page.getByLabel('Reason').fill('forgot to sign out');
	await page.getByRole('button', { name: 'Save correction' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'The correction is saved.' })).toBeVisible();

	// Reload: what the page shows comes from the database.
	await page.reload();
	const date = new URL(page.url()).searchParams.get('date')!;
	const corrected = page.getByRole('row', { name: new RegExp(`Fay ${lastName}`) });
	await expect(corrected).toHaveClass(/signed-out/);
	await expect(corrected.getByRole('cell').nth(1)).toHaveText(signIn.slice(11));
	await expect(corrected.getByRole('cell').nth(2)).toHaveText(signOut.slice(11));
	await expect(corrected).toContainText(/corrected by Ada at \d{2}:\d{2}: forgot to sign out/);

	const report = (await (await page.request.get(`/report.json?date=${date}`)).json()) as LegacyReport;
	const fay = report.users.find((u) => u.last_name === lastName)!;
	expect(fay.status).toBe('signed-out');
	expect(fay.records).toHaveLength(1);
	expect(londonLocal(new Date(fay.records[0]!.sign_in__timestamp))).toBe(signIn);
	expect(londonLocal(new Date(fay.records[0]!.sign_out__timestamp!))).toBe(signOut);

	// The exports: Fay's visit with the corrected times, the same rows in CSV and XLSX.
	const csv = parseCsv((await download(page, 'visits', 'csv', date)).toString('utf8'));
	expect(csv[0]).toEqual(['user', 'date', 'first_sign_in', 'last_sign_out']);
	const fayRows = csv.filter((r) => r[0]!.startsWith(`fay.${lastName.toLowerCase()}`));
	expect(fayRows).toEqual([[expect.any(String), date, signIn.replace('T', ' '), signOut.replace('T', ' ')]]);
	// One visit row per person with a record that day: as many as /report.json lists.
	expect(csv.length - 1).toBe(report.users.length);

	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load((await download(page, 'visits', 'xlsx', date)) as unknown as ArrayBuffer);
	const sheet = workbook.worksheets[0]!;
	const xlsx: string[][] = [];
	sheet.eachRow((r) => xlsx.push(Array.from({ length: 4 }, (_, i) => String(r.getCell(i + 1).value ?? ''))));
	expect(xlsx).toEqual(csv);

	const stats = parseCsv((await download(page, 'stats', 'csv', date)).toString('utf8'));
	expect(stats).toEqual([['date', 'distinct_users', 'not_signed_out'], [date, String(report.users.length), String(report.users.filter((u) => u.status === 'signed-in').length)]]);
	await context.close();
});

test('the range and history pages are accessible and a bad range says why', async ({ browser }) => {
	test.slow(); // the CLI runs once and axe reads two pages
	const admin = newPerson('Rita', `Ranger${Date.now().toString(36)}`);
	await createAdmin(admin);
	const context = await browser.newContext();
	const page = await context.newPage();
	await logIn(page, admin, { firstUse: false });
	await page.goto('/admin/reports');
	const range = page.locator('form', { has: page.getByRole('heading', { name: 'Date range' }) });
	await range.getByLabel('From').fill('2026-01-10');
	await range.getByLabel('To').fill('2026-01-01');
	await range.getByRole('button', { name: 'Show range' }).click();
	await expect(page.getByRole('alert')).toHaveText('The first date must not be after the last date.');
	await range.getByLabel('From').fill('2026-01-01');
	await range.getByRole('button', { name: 'Show range' }).click();
	await expect(page.getByRole('status')).toContainText('between');
	await noAxeViolations(page);

	// The user list shows 50 at most: search, as an admin with many users would.
	await page.goto(`/admin/users?q=${admin.lastName}`);
	await page.getByRole('link', { name: new RegExp(admin.lastName) }).first().click();
	await page.getByRole('link', { name: 'Full attendance history and corrections' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Rita ${admin.lastName}: attendance history`);
	await noAxeViolations(page);
	await context.close();
});
