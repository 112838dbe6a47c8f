import { expect, test } from '@playwright/test';
import { e2eBaseUrl } from '../../playwright.config';
import { logIn, newPerson } from './support';

test('the tRPC API answers the session user, and refuses bad input with a 400', async ({ page }) => {
	await logIn(page, newPerson('Api', 'User'));
	const status = await page.request.get('/api/trpc/attendance.status');
	expect(status.status()).toBe(200);
	expect((await status.json()).result.data).toMatchObject({ signedIn: false });

	const bad = await page.request.post('/api/trpc/attendance.signIn', {
		data: { actionId: 'not-a-uuid' },
		headers: { origin: e2eBaseUrl },
	});
	expect(bad.status()).toBe(400);
	expect(JSON.stringify(await bad.json())).toContain('actionId');

	const good = await page.request.post('/api/trpc/attendance.signIn', {
		data: { actionId: crypto.randomUUID() },
		headers: { origin: e2eBaseUrl },
	});
	expect(good.status()).toBe(200);
	expect((await good.json()).result.data).toMatchObject({ outcome: 'applied', status: { signedIn: true } });
	await page.reload();
	await expect(page.getByTestId('status')).toHaveText(/signed in since/);
});

test('the API refuses strangers and cross-site posts', async ({ page, request }) => {
	expect((await request.get('/api/trpc/attendance.status')).status()).toBe(401);
	await logIn(page, newPerson('Cross', 'Site'));
	const crossSite = await page.request.post('/api/trpc/attendance.signIn', {
		data: {},
		headers: { origin: 'https://evil.example' },
	});
	expect(crossSite.status()).toBe(403);
	const formPost = await page.request.post('/api/trpc/attendance.signIn', {
		form: { anything: '1' },
	});
	expect(formPost.status()).toBe(403);
	await page.reload();
	await expect(page.getByTestId('status')).toHaveText(/not signed in/);
});
