import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { createAdmin, logIn, newPerson, press, type Person } from './support';

/** The building's date (Europe/London, the server's default) `daysAgo` days before now, YYYY-MM-DD. */
function londonDate(daysAgo: number): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() - daysAgo * 86_400_000));
}

/** A surname no other test (or earlier run) uses. */
const uniqueSurname = (stem: string) => `${stem}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);

async function noAxeViolations(page: Page) {
	const results = await new AxeBuilder({ page }).analyze();
	expect({ path: new URL(page.url()).pathname, violations: results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`) }).toEqual({
		path: new URL(page.url()).pathname,
		violations: [],
	});
}

/** Logs a person in (first use) in a context of their own and closes it: they now exist, with one logged-in device. */
async function register(browser: Browser, person: Person): Promise<void> {
	const context = await browser.newContext();
	await logIn(await context.newPage(), person);
	await context.close();
}

async function adminPage(browser: Browser, firstName: string): Promise<Page> {
	const admin = newPerson(firstName, uniqueSurname('Admin'));
	await createAdmin(admin);
	const page = await (await browser.newContext()).newPage();
	await logIn(page, admin, { firstUse: false });
	return page;
}

async function openPersonPage(page: Page, person: Person): Promise<void> {
	await page.goto(`/admin/users?q=${person.lastName}`);
	await page.getByRole('link', { name: `${person.firstName} ${person.lastName}` }).click();
	await expect(page.getByRole('heading', { level: 1, name: `${person.firstName} ${person.lastName}` })).toBeVisible();
}

async function addVisit(page: Page, visit: { date: string; signIn: string; signOut: string; reason: string }): Promise<void> {
	const form = page.locator('form', { has: page.getByRole('button', { name: 'Add visit' }) });
	await form.getByLabel('Date').fill(visit.date);
	await form.getByLabel('Signed in at').fill(visit.signIn);
	await form.getByLabel(/Signed out at/).fill(visit.signOut);
	await form.getByLabel('Reason').fill(visit.reason);
	await form.getByRole('button', { name: 'Add visit' }).click();
}

test('an admin adds a visit on the person page and the day report shows it; bad times are refused and save nothing', async ({ browser }) => {
	test.slow(); // two people log in and the CLI runs once
	const person = newPerson('Pia', uniqueSurname('Visit'));
	await register(browser, person);
	const page = await adminPage(browser, 'Ada');
	await openPersonPage(page, person);
	expect(new URL(page.url()).pathname).toMatch(/^\/admin\/people\/\d+$/);
	await noAxeViolations(page);

	const yesterday = londonDate(1);
	await addVisit(page, { date: yesterday, signIn: '12:00', signOut: '09:00', reason: 'forgot her phone' });
	await expect(page.getByRole('alert')).toHaveText('The sign-out must be after the sign-in.');
	await expect(page.getByLabel('Reason')).toHaveValue('forgot her phone');
	await expect(page.getByLabel(/Signed out at/)).toHaveAttribute('aria-invalid', 'true');

	await addVisit(page, { date: yesterday, signIn: '09:00', signOut: '12:30', reason: 'forgot her phone' });
	await expect(page.getByRole('status')).toContainText('The visit from');
	await page.reload();
	await expect(page.getByText('visit-added')).toBeVisible();
	await expect(page.getByRole('link', { name: /^Record of .*, signed in 09:00$/ })).toHaveCount(1);

	await page.goto(`/admin/reports?date=${yesterday}`);
	const row = page.getByRole('row', { name: new RegExp(`Pia ${person.lastName}`) });
	await expect(row).toHaveCount(1);
	await expect(row).toHaveClass(/signed-out/);
	await expect(row.getByRole('cell').nth(1)).toHaveText('09:00');
	await expect(row.getByRole('cell').nth(2)).toHaveText('12:30');
	await expect(row).toContainText(/corrected by Ada at \d{2}:\d{2}( on [\w ]+)?: forgot her phone/);
	await page.context().close();
});

test('an admin corrects a name, issues a badge and logs a person out everywhere from the person page', async ({ browser }) => {
	test.slow(); // two people log in, the CLI runs once and axe reads the page
	const person = newPerson('Bea', uniqueSurname('Devices'));
	await register(browser, person);
	const page = await adminPage(browser, 'Dee');
	await openPersonPage(page, person);
	await expect(page.getByText('1 device logged in')).toBeVisible();
	// On a phone the page scrolls down only, never sideways (a browser's long name included).
	await page.setViewportSize({ width: 390, height: 844 });
	expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);

	await page.getByRole('button', { name: 'Issue badge' }).click();
	await expect(page.getByRole('status')).toHaveText('A new badge is issued; the old one no longer works.');
	await expect(page.getByRole('link', { name: 'Print badge' })).toBeVisible();

	await page.getByRole('button', { name: 'Log out everywhere' }).click();
	await expect(page.getByRole('status')).toHaveText('1 device logged out.');
	await page.reload();
	await expect(page.getByText('Not logged in anywhere.')).toBeVisible();
	await expect(page.getByText('0 devices logged in')).toBeVisible();
	await noAxeViolations(page);

	await page.setViewportSize({ width: 1280, height: 900 });
	await page.getByLabel('Last name').fill(`${person.lastName}-Jones`);
	await page.getByRole('button', { name: 'Save name' }).click();
	await expect(page.getByRole('status')).toHaveText(`Name saved: Bea ${person.lastName}-Jones.`);
	await page.reload();
	await expect(page.getByRole('heading', { level: 1, name: `Bea ${person.lastName}-Jones` })).toBeVisible();
	await page.context().close();
});

test('the charts page draws three canvases and its tables hold the day’s and the weeks’ numbers, at phone width too', async ({ browser }) => {
	test.slow(); // two people log in, two visits are added
	const surname = uniqueSurname('Chart');
	const [una, ugo] = [newPerson('Una', surname), newPerson('Ugo', surname)];
	await register(browser, una);
	await register(browser, ugo);
	const page = await adminPage(browser, 'Cat');
	// Ten days ago: only this test records visits on a past date that far back, so the numbers are its own.
	const day = londonDate(10);
	await openPersonPage(page, una);
	await addVisit(page, { date: day, signIn: '09:00', signOut: '10:30', reason: 'chart test' });
	await expect(page.getByRole('status')).toContainText('The visit from');
	await openPersonPage(page, ugo);
	await addVisit(page, { date: day, signIn: '10:00', signOut: '11:00', reason: 'chart test' });
	await expect(page.getByRole('status')).toContainText('The visit from');

	await page.goto('/admin');
	await page.getByRole('link', { name: 'Charts' }).click();
	await page.getByLabel('Day for occupancy').fill(day);
	await page.getByLabel('Weeks of daily figures').fill('2');
	await page.getByRole('button', { name: 'Show charts' }).click();
	await expect(page).toHaveURL(new RegExp(`date=${day}&weeks=2`));
	await expect(page.locator('[data-ready="true"] canvas')).toHaveCount(3);
	await expect(page.getByText('At most 2 people at once, from 10:00.')).toBeVisible();

	// The tables open from the keyboard too.
	await page.getByText('Occupancy as a table').focus();
	await page.keyboard.press('Enter');
	const occupancy = page.getByRole('table', { name: /people in per quarter hour/ });
	for (const [time, people] of [['08:45', '0'], ['09:00', '1'], ['10:00', '2'], ['10:15', '2'], ['10:30', '1'], ['11:00', '0']]) {
		await expect(occupancy.getByRole('row', { name: time, exact: false }).first()).toHaveText(`${time}${people}`);
	}
	await page.getByText('People per day as a table').click();
	const daily = page.getByRole('table', { name: /People per day, last 2 weeks/ });
	await expect(daily.getByRole('row')).toHaveCount(15);
	const dayRow = daily.getByRole('row').filter({ has: page.locator(`a[href="/admin/reports?date=${day}"]`) });
	await expect(dayRow.getByRole('cell')).toHaveText('2');
	await page.getByText('Busiest weekdays as a table').click();
	const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
	// Two of each weekday in two weeks: 2 people on one, nobody on the other (a week later, three days ago).
	await expect(page.getByRole('table', { name: /Busiest weekdays/ }).getByRole('row', { name: weekday })).toHaveText(`${weekday}12`);
	await noAxeViolations(page);

	await page.setViewportSize({ width: 390, height: 844 });
	await page.reload();
	await expect(page.locator('[data-ready="true"] canvas')).toHaveCount(3);
	expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
	const canvasWidth = await page.locator('[data-ready="true"] canvas').first().evaluate((c) => c.getBoundingClientRect().width);
	expect(canvasWidth).toBeLessThanOrEqual(390);
	await page.context().close();
});
