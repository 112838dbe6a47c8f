import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { createAdmin, logIn, newPerson, press } from './support';

/** Every admin page route in the source tree (`/admin/people/[id]`, ...): a new page cannot slip past this test. */
function adminPageRoutes(dir = 'src/routes/admin'): string[] {
	const here = readdirSync(dir).includes('+page.svelte') ? [dir.replace(/^src\/routes/, '')] : [];
	return [...here, ...readdirSync(dir).filter((name) => statSync(path.join(dir, name)).isDirectory()).flatMap((name) => adminPageRoutes(path.join(dir, name)))];
}

test('axe finds no violations on any admin page, and each is reachable by keyboard', async ({ browser }) => {
	test.setTimeout(240_000); // two people log in, the CLI runs once, and axe reads eighteen pages on a loaded machine
	const stamp = Date.now().toString(36);
	const zed = newPerson('Zed', `Axe${stamp}`);
	const staff = await browser.newContext();
	const phone = await staff.newPage();
	await logIn(phone, zed);
	await press(phone, 'Sign in');
	await staff.close();

	const admin = newPerson('Axel', `Admin${stamp}`);
	await createAdmin(admin);
	const page = await (await browser.newContext()).newPage();
	await logIn(page, admin, { firstUse: false });

	// What the pages with an id or a slug need: a person, one of their records and a location.
	await page.goto(`/admin/users?q=${zed.lastName}`);
	await page.getByRole('link', { name: `Zed ${zed.lastName}` }).click();
	await page.waitForURL(/\/admin\/people\/\d+$/);
	const personId = /\/admin\/people\/(\d+)$/.exec(page.url())![1]!;
	const recordHref = await page.getByRole('link', { name: /^Record of / }).first().getAttribute('href');
	const recordId = /\/admin\/reports\/records\/(\d+)$/.exec(recordHref!)![1]!;
	await page.goto(`/admin/users?q=${admin.lastName}`);
	await page.getByRole('link', { name: `Axel ${admin.lastName}` }).click();
	await page.waitForURL(/\/admin\/people\/\d+$/);
	const adminId = /\/admin\/people\/(\d+)$/.exec(page.url())![1]!;
	const slug = `axe-${stamp}`;
	await page.goto('/admin/locations');
	await page.getByLabel('Name').first().fill('Axe entrance');
	await page.getByLabel('Short name for the poster link').fill(slug);
	await page.getByRole('button', { name: 'Add location' }).click();
	await expect(page.getByRole('status')).toHaveText('Added Axe entrance.');

	const paths: Record<string, string> = {
		'/admin': '/admin',
		'/admin/audit': '/admin/audit',
		'/admin/badges': '/admin/badges',
		'/admin/badges/print': `/admin/badges/print?ids=${personId}`,
		'/admin/broadcast': '/admin/broadcast',
		'/admin/charts': '/admin/charts',
		'/admin/jobs': '/admin/jobs',
		'/admin/kiosks': '/admin/kiosks',
		'/admin/locations': '/admin/locations',
		'/admin/locations/[slug]/poster': `/admin/locations/${slug}/poster`,
		'/admin/people/[id]': `/admin/people/${personId}`,
		'/admin/reports': '/admin/reports',
		'/admin/reports/people/[id]': `/admin/reports/people/${personId}`,
		'/admin/reports/records/[id]': `/admin/reports/records/${recordId}`,
		'/admin/settings': '/admin/settings',
		'/admin/users': '/admin/users',
		'/admin/users/merge': `/admin/users/merge?id=${personId}&id=${adminId}`,
		'/admin/webhooks': '/admin/webhooks',
	};
	expect(Object.keys(paths).sort()).toEqual(adminPageRoutes().sort());

	for (const route of Object.keys(paths)) {
		const response = await page.goto(paths[route]!);
		expect({ route, status: response?.status() }).toEqual({ route, status: 200 });
		const results = await new AxeBuilder({ page }).analyze();
		expect.soft({ route, violations: results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`) }).toEqual({ route, violations: [] });
		// The first Tab lands on something visible that says what it is.
		await page.keyboard.press('Tab');
		const focused = await page.evaluate(() => {
			const el = document.activeElement as HTMLElement | null;
			return el && el !== document.body ? { visible: el.getClientRects().length > 0, name: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim() } : null;
		});
		expect.soft({ route, focused }).toEqual({ route, focused: { visible: true, name: expect.stringMatching(/\S/) } });
	}
	await page.context().close();
});
