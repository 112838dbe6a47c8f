import { expect, test } from '@playwright/test';
import { e2eGraphToken, e2eGraphTokens } from '../fakes/microsoft.accounts';

test('a Microsoft account logs in through the identity provider and lands on the staff page', async ({ page }) => {
	await page.goto('/login');
	await page.getByRole('link', { name: 'Microsoft account' }).click();

	// The local stand-in for Entra ID's sign-in page.
	await expect(page.getByRole('heading', { name: 'Sign in to your account' })).toBeVisible();
	await page.getByLabel('Sign in as').fill('mira.microsoft@example.com');
	await page.getByRole('button', { name: 'Sign in' }).click();

	await expect(page.getByRole('heading', { name: 'Hi Mira' })).toBeVisible();
	expect(new URL(page.url()).pathname).toBe('/');
	// The session is a real cookie: it survives a reload.
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Hi Mira' })).toBeVisible();
});

test('a cancelled Microsoft sign-in explains itself and offers another try', async ({ page }) => {
	await page.goto('/login');
	await page.getByRole('link', { name: 'Microsoft account' }).click();
	await page.getByRole('button', { name: 'Cancel' }).click();

	await expect(page.getByRole('heading', { name: 'Microsoft sign-in did not work' })).toBeVisible();
	await expect(page.getByRole('alert')).toHaveText(/cancelled or refused/);
	await page.getByRole('link', { name: 'Try Microsoft again' }).click();
	await expect(page.getByRole('heading', { name: 'Sign in to your account' })).toBeVisible();
});

test('the mobile app logs in with a Graph token, then signs in and reads its status over HTTP', async ({ request }) => {
	const [graphToken] = Object.keys(e2eGraphTokens);
	const login = await request.post('/api/app/login', { headers: { authorization: `Bearer ${graphToken}` } });
	expect(login.status()).toBe(200);
	const session = await login.json();
	expect(session).toEqual({
		user_id: expect.any(Number),
		user_first_name: 'Appy',
		user_last_name: 'Mobile',
		token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
	});
	const bearer = { authorization: `Bearer ${session.token}` };

	const entered = await request.post('/api/app/status', { headers: bearer, data: { action: 'enter', pushToken: 'ExponentPushToken[e2e]' } });
	expect(entered.status()).toBe(200);
	const enteredBody = await entered.json();
	expect(enteredBody).toMatchObject({ in_office: true, first_name: 'Appy', last_name: 'Mobile', status_updated: true });
	expect(new Date(enteredBody.timestamp).getTime()).toBeGreaterThan(Date.now() - 60_000);

	const read = await request.get('/api/app/status', { headers: { authorization: `Bearer ${enteredBody.token}` } });
	expect(await read.json()).toMatchObject({ in_office: true, status_updated: false, timestamp: enteredBody.timestamp });

	const unknown = e2eGraphToken({ oid: 'e2e-oid-nobody' });
	const refused = await request.post('/api/app/login', { headers: { authorization: `Bearer ${unknown}` } });
	expect(refused.status()).toBe(401);
	expect((await refused.json()).error).toMatch(/Microsoft refused this token/);
	const stranger = await request.get('/api/app/status');
	expect(stranger.status()).toBe(401);
});
