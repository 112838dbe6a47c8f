import { expect, test, type Page } from '@playwright/test';
import { fakePorts, loopback } from '../fakes/ports';
import { logIn, newPerson } from './support';

/** Creates (or replaces) the personal login link on /profile and returns its URL, checking the QR is drawn. */
async function createLink(page: Page): Promise<string> {
	await page.goto('/profile');
	await page.getByRole('button', { name: /^(Create a login link|Replace my login link)$/ }).click();
	const field = page.getByRole('textbox', { name: 'Login link' });
	await expect(field).toHaveValue(/\/accounts\/token\/[A-Za-z0-9_-]{43}$/);
	await expect(page.getByRole('img', { name: 'QR code of the login link' })).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
	return field.inputValue();
}

test('a personal login link logs a fresh browser in, works as an LLToken header, and stops when revoked', async ({ page, browser, request }) => {
	const lin = newPerson('Lin', 'Linker');
	await logIn(page, lin);
	const url = await createLink(page);
	const token = url.split('/').pop()!;
	await expect(page.getByTestId('link-state')).toHaveText(/You have a login link, created/);

	const phone = await browser.newContext();
	const phonePage = await phone.newPage();
	await phonePage.goto(url);
	// Opening the link only asks: another site loading it cannot log a browser in.
	await expect(phonePage.getByRole('heading', { name: 'Log in as Lin?' })).toBeVisible();
	await phonePage.goto('/profile');
	await expect(phonePage).toHaveURL(/\/login/);
	await phonePage.goto(url);
	await phonePage.getByRole('button', { name: 'Log in as Lin' }).click();
	await expect(phonePage).toHaveURL(/\/$/);
	await expect(phonePage.getByRole('heading', { name: 'Hi Lin' })).toBeVisible();
	await phone.close();

	const status = await request.get('/api/trpc/attendance.status', { headers: { authorization: `LLToken ${token}` } });
	expect(status.status()).toBe(200);
	expect((await status.json()).result.data).toMatchObject({ signedIn: false });
	expect((await request.get('/api/trpc/attendance.status')).status()).toBe(401);
	for (const header of ['LLToken', `Bearer ${token}`, `LLToken ${token}x`, 'LLToken not a token']) {
		expect((await request.get('/api/trpc/attendance.status', { headers: { authorization: header } })).status()).toBe(401);
	}

	await page.goto('/profile');
	await page.getByRole('button', { name: 'Revoke' }).click();
	await expect(page.getByRole('status')).toHaveText('Your login link is revoked: it no longer works.');
	await expect(page.getByTestId('link-state')).toHaveText('You have no login link.');

	const stranger = await browser.newContext();
	const strangerPage = await stranger.newPage();
	const refused = await strangerPage.goto(url);
	expect(refused?.status()).toBe(404);
	await expect(strangerPage.getByRole('alert')).toHaveText('This login link is not valid any more: ask for a new one.');
	await strangerPage.goto('/');
	await expect(strangerPage).toHaveURL(/\/login/);
	await stranger.close();
	expect((await request.get('/api/trpc/attendance.status', { headers: { authorization: `LLToken ${token}` } })).status()).toBe(401);
});

test('a new login link replaces the old one', async ({ page, browser }) => {
	await logIn(page, newPerson('Rhea', 'Replacer'));
	const first = await createLink(page);
	const second = await createLink(page);
	expect(second).not.toBe(first);
	const context = await browser.newContext();
	const other = await context.newPage();
	expect((await other.goto(first))?.status()).toBe(404);
	await other.goto(second);
	await other.getByRole('button', { name: 'Log in as Rhea' }).click();
	await expect(other.getByRole('heading', { name: 'Hi Rhea' })).toBeVisible();
	await context.close();
});

test('a person renames themself on the profile, and the name stays after a reload', async ({ page }) => {
	await logIn(page, newPerson('Nora', 'Oldname'));
	await page.getByRole('link', { name: 'Profile' }).click();
	await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
	await page.getByLabel('First name').fill('Eleanor');
	await page.getByLabel('Last name').fill('Newname');
	await page.getByRole('button', { name: 'Save name' }).click();
	await expect(page.getByRole('status')).toHaveText('Your name is saved.');
	await page.reload();
	await expect(page.getByLabel('First name')).toHaveValue('Eleanor');
	await expect(page.getByLabel('Last name')).toHaveValue('Newname');
	await expect(page.getByText(/Your username, nora\.oldname(\.\d+)?, stays the same\./)).toBeVisible();
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Hi Eleanor' })).toBeVisible();
});

interface CapturedEmail {
	to: string[];
	text: string;
}

/** The code in the newest email to this address that the SMTP stand-in received. */
async function emailedCode(address: string): Promise<string> {
	let code: string | undefined;
	await expect
		.poll(async () => {
			const mails = (await (await fetch(`${loopback(fakePorts.inspector)}/captured/smtp`)).json()) as CapturedEmail[];
			const mail = mails.filter((m) => m.to.some((to) => to.toLowerCase() === address)).pop();
			code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1];
			return code;
		}, { message: `a code emailed to ${address}` })
		.toMatch(/^\d{6}$/);
	return code!;
}

test('a person adds an email verified by a code, signs out other devices and downloads their data', async ({ page, browser }) => {
	const cai = newPerson('Cai', 'Contacts');
	await logIn(page, cai);
	const laptop = await browser.newContext();
	const laptopPage = await laptop.newPage();
	await logIn(laptopPage, cai, { firstUse: false });

	await page.goto('/profile');
	const extra = cai.email.replace('@', '.work@');
	await page.getByLabel('Email or phone').fill(extra);
	await page.getByRole('button', { name: 'Send a code' }).click();
	await expect(page.getByRole('status')).toHaveText(`We have sent a code to ${extra}. It is valid for 15 minutes.`);
	await page.getByLabel('Code').fill(await emailedCode(extra));
	await page.getByRole('button', { name: 'Add it' }).click();
	await expect(page.getByRole('status')).toHaveText(`Added ${extra}.`);
	await page.reload();
	await expect(page.getByRole('row', { name: new RegExp(extra.replace(/[.+]/g, '\\$&')) })).toBeVisible();

	await expect(page.getByText('This device')).toHaveCount(1);
	await expect(page.getByRole('region', { name: 'Devices logged in' }).getByRole('listitem')).toHaveCount(2);
	await page.getByRole('button', { name: 'Sign out other devices' }).click();
	await expect(page.getByRole('status')).toHaveText('Signed out 1 other device.');
	await laptopPage.goto('/');
	await expect(laptopPage).toHaveURL(/\/login/);
	await laptop.close();
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();

	const download = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Download my data' }).click();
	const file = await download;
	expect(file.suggestedFilename()).toMatch(/^building-register-cai\.contacts(\.\d+)?\.json$/);
	const data = await page.request.get('/profile/data.json');
	expect(data.headers()['content-disposition']).toMatch(/^attachment; filename=/);
	const body = await data.json();
	expect(body.user).toMatchObject({ firstName: 'Cai', lastName: 'Contacts' });
	expect(body.contactDetails.map((c: { value: string }) => c.value).sort()).toEqual([cai.email, extra].sort());
	expect(body.sessions).toHaveLength(1);
});

test('strangers are sent to log in from the profile and get 401 from the data download', async ({ page }) => {
	await page.goto('/profile');
	await expect(page).toHaveURL(/\/login\?next=%2Fprofile$/);
	expect((await page.request.get('/profile/data.json')).status()).toBe(401);
});

test('a person turns their sign-out reminders off and on, and the choice is kept', async ({ page }) => {
	await logIn(page, newPerson('Remi', 'Quiet'));
	await page.goto('/profile');
	const section = page.getByRole('region', { name: 'Sign-out reminders' });
	await section.getByRole('button', { name: 'Turn reminders off' }).click();
	await expect(section.getByRole('status')).toHaveText('Reminders are off.');
	await page.reload();
	await expect(section.getByText('You get no sign-out reminders.')).toBeVisible();
	await section.getByRole('button', { name: 'Turn reminders on' }).click();
	await expect(section.getByRole('status')).toHaveText('Reminders are on.');
	await page.reload();
	await expect(section.getByRole('button', { name: 'Turn reminders off' })).toBeVisible();
});
