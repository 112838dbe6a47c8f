import { expect, test, type Page } from '@playwright/test';
import { createAdmin, logIn, newPerson } from './support';

test('the manifest lets the app turn with the device, tablets in landscape included', async ({ request }) => {
	const manifest = (await (await request.get('/manifest.webmanifest')).json()) as { orientation: string };
	expect(manifest.orientation).toBe('any');
});

test('focus moves to the code field once a code is sent', async ({ page }) => {
	const person = newPerson('Finn', 'Focus');
	await page.goto('/login/dev');
	await page.getByLabel('Email or phone').fill(person.email);
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page.getByLabel('Code')).toBeFocused();
});

test('a login error is announced once, by one alert', async ({ page }) => {
	await page.goto('/login/dev');
	await page.getByLabel('Email or phone').fill('not a phone');
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page.getByRole('alert')).toContainText('Enter a valid phone number');
	// SvelteKit's own announcer speaks only the title after a navigation, which a form answer is not.
	await expect(page.locator(':is([aria-live], [role="alert"], [role="status"]):not(#svelte-announcer)')).toHaveCount(1);
	await expect(page.getByText(/Enter a valid phone number/)).toHaveCount(1);
	await expect(page.getByLabel('Email or phone')).toHaveAccessibleDescription(/Enter a valid phone number/);
});

/** Every visible button, link and form field of the page that is less than 44 px high, with its height. */
async function shortTargets(page: Page): Promise<string[]> {
	const controls = await page.locator('a:visible, button:visible, input:visible, select:visible, textarea:visible').all();
	expect(controls.length).toBeGreaterThan(0);
	const measured = await Promise.all(
		controls.map(async (control) => ({ box: await control.boundingBox(), html: await control.evaluate((el) => el.outerHTML.slice(0, 80)) })),
	);
	return measured.filter(({ box }) => box !== null && box.height < 44).map(({ box, html }) => `${html}: ${box!.height.toFixed(1)} px`);
}

test('every button, link and field on the staff, login, profile and admin pages is at least 44 px high', async ({ browser }) => {
	test.setTimeout(120_000); // nine pages and a login
	const context = await browser.newContext({ viewport: { width: 390, height: 844 } }); // a phone
	const page = await context.newPage();
	const seen: Record<string, string[]> = {};
	/** Measures once `heading` shows the page has arrived (measuring during a navigation would chase vanishing elements). */
	const measure = async (name: string, heading: string | RegExp) => {
		await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
		seen[name] = await shortTargets(page);
	};

	await page.goto('/login');
	await measure('login', 'Log in');
	await page.getByRole('link', { name: 'Development' }).click();
	await expect(page.getByLabel('Email or phone')).toBeVisible();
	await measure('login code: contact', 'Log in');
	await page.getByLabel('Email or phone').fill('not a phone');
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page.getByRole('alert')).toBeVisible();
	await measure('login code: error', 'Log in');

	const admin = newPerson('Tara', 'Target');
	await createAdmin(admin);
	await logIn(page, admin, { firstUse: false });
	await measure('staff', 'Hi Tara');
	await page.goto('/profile');
	await measure('profile', 'Your profile');
	await page.goto('/admin');
	await measure('admin', /^Today, /);
	await page.goto(`/admin/users?q=${encodeURIComponent(admin.email)}`);
	await measure('admin users', 'Users');
	await page.getByRole('link', { name: 'Tara Target' }).click();
	await measure('admin user', 'Tara Target');
	await page.goto('/admin/settings');
	await measure('admin settings', 'Settings');
	await page.goto('/admin/charts');
	await measure('admin charts', 'Charts');

	expect(seen).toEqual(Object.fromEntries(Object.keys(seen).map((name) => [name, []])));
	await context.close();
});
