import { expect, test, type Page } from '@playwright/test';
import { fakePorts, loopback } from '../fakes/ports';
import type { CapturedEmail } from '../fakes/smtp.fake';
import type { CapturedSms } from '../fakes/twilio.fake';
import { newPerson, uniqueEmail } from './support';

// Delivery goes through real SMTP and HTTP round trips to the stand-ins.
test.setTimeout(60_000);

async function captured<T>(name: 'smtp' | 'twilio'): Promise<T[]> {
	const response = await fetch(`${loopback(fakePorts.inspector)}/captured/${name}`);
	return (await response.json()) as T[];
}

/** Waits for the stand-in to receive a message matching `pick`, and returns the 6-digit code in it. */
async function codeFrom<T>(name: 'smtp' | 'twilio', pick: (message: T) => string | undefined): Promise<string> {
	let code: string | undefined;
	await expect
		.poll(
			async () => {
				code = (await captured<T>(name)).map(pick).filter(Boolean).at(-1);
				return code;
			},
			{ message: `a login code at the ${name} stand-in`, timeout: 20_000 },
		)
		.toMatch(/^\d{6}$/);
	return code!;
}

let phones = 0;
/** A UK mobile number (07400 range, all valid) that no other test uses. */
function uniqueMobile(): { typed: string; e164: string } {
	phones += 1;
	const digits = String((Date.now() * 7 + process.pid * 131 + phones * 7919) % 1_000_000).padStart(6, '0');
	return { typed: `07400 ${digits}`, e164: `+447400${digits}` };
}

async function finishFirstLogin(page: Page, code: string, firstName: string, lastName: string): Promise<void> {
	await page.getByLabel('Code').fill(code);
	await page.getByLabel('First name').fill(firstName);
	await page.getByLabel('Last name').fill(lastName);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('heading', { name: `Hi ${firstName}` })).toBeVisible();
}

test('the login page offers Email, Text message and Development', async ({ page }) => {
	await page.goto('/login');
	const methods = page.getByRole('navigation', { name: 'Login methods' });
	for (const name of ['Email', 'Text message', 'Development']) {
		await expect(methods.getByRole('link', { name, exact: true })).toBeVisible();
	}
});

test('a newcomer logs in with a code sent by email', async ({ page }) => {
	const person = newPerson('Emma', 'Mailer');
	await page.goto('/login');
	await page.getByRole('link', { name: 'Email', exact: true }).click();
	await page.getByLabel('Email address').fill(person.email);
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page.getByRole('status')).toContainText(`We have sent a code to ${person.email}`);

	const code = await codeFrom<CapturedEmail>('smtp', (mail) =>
		mail.to.includes(person.email) && mail.subject === 'Your Building Register login code'
			? /is: (\d{6})/.exec(mail.text)?.[1]
			: undefined,
	);
	await finishFirstLogin(page, code, person.firstName, person.lastName);
	await page.reload();
	await expect(page.getByRole('heading', { name: `Hi ${person.firstName}` })).toBeVisible();
});

test('a newcomer logs in with a code sent by text message', async ({ page }) => {
	const mobile = uniqueMobile();
	await page.goto('/login');
	await page.getByRole('link', { name: 'Text message' }).click();
	await page.getByLabel('Mobile number').fill(mobile.typed);
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page.getByRole('status')).toContainText('We have sent a code to');

	const code = await codeFrom<CapturedSms>('twilio', (sms) =>
		sms.to === mobile.e164 && sms.from === 'SF-REG' ? /^Your one-time code is: (\d{6})\. Don't share this code with anyone\.$/.exec(sms.body)?.[1] : undefined,
	);
	await finishFirstLogin(page, code, 'Tex', 'Messenger');
});

test('a phone number that is not valid gets a clear message and no text', async ({ page }) => {
	await page.goto('/login/sms');
	await page.getByLabel('Mobile number').fill('12345');
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page.getByRole('alert')).toHaveText('Enter a valid phone number, like 07911 123456 or +44 7911 123456.');
	await expect(page.getByLabel('Mobile number')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('Mobile number')).toHaveValue('12345');
	expect((await captured<CapturedSms>('twilio')).some((sms) => sms.to.endsWith('12345'))).toBe(false);
});

test('after too many code requests for one address the page says to wait', async ({ page }) => {
	const email = uniqueEmail('limited');
	await page.goto('/login/email');
	await page.getByLabel('Email address').fill(email);
	await page.getByRole('button', { name: 'Send me a code' }).click();
	await expect(page.getByRole('status')).toContainText(`We have sent a code to ${email}`);
	// Four more through "Send a new code" reach the limit of five; the sixth is refused.
	for (let sent = 2; sent <= 6; sent += 1) {
		await page.getByRole('button', { name: 'Send a new code' }).click();
		if (sent < 6) await expect.poll(async () => (await captured<CapturedEmail>('smtp')).filter((m) => m.to.includes(email)).length).toBe(sent);
	}
	await expect(page.getByRole('alert')).toHaveText(/^Too many attempts: wait (14|15) minutes\.$/);
	expect((await captured<CapturedEmail>('smtp')).filter((m) => m.to.includes(email))).toHaveLength(5);
});
