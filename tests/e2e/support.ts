/** Helpers for the e2e tests: read login codes from the server's console, log people in, make admins. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect, type Page } from '@playwright/test';
import { e2eDataDir, e2eServerLog } from '../../playwright.config';

const run = promisify(execFile);

let people = 0;
/** A contact value no other test (or earlier run of this one) uses. */
export function uniqueEmail(label: string): string {
	people += 1;
	return `${label}.${process.pid}.${people}.${Date.now().toString(36)}@example.com`;
}

const serverLog = (file = e2eServerLog) => readFileSync(file, 'utf8');

/** Waits for the server to print a code for this contact, after the log had `since` characters. */
export async function codeFor(contact: string, since: number, log = e2eServerLog): Promise<string> {
	const pattern = new RegExp(`Code for ${contact.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (\\d{6})`);
	let code: string | undefined;
	await expect
		.poll(() => {
			code = pattern.exec(serverLog(log).slice(since))?.[1];
			return code;
		}, { message: `a login code for ${contact} on the server console` })
		.toMatch(/^\d{6}$/);
	return code!;
}

export interface Person {
	email: string;
	firstName: string;
	lastName: string;
}

/** Logs in through the development method; first use fills in the name. */
export async function logIn(page: Page, person: Person, options: { firstUse?: boolean; log?: string } = {}): Promise<void> {
	const log = options.log ?? e2eServerLog;
	await page.goto('/login');
	await page.getByRole('link', { name: 'Development' }).click();
	await page.getByLabel('Email or phone').fill(person.email);
	const since = serverLog(log).length;
	await page.getByRole('button', { name: 'Send me a code' }).click();
	const code = await codeFor(person.email, since, log);
	await page.getByLabel('Code').fill(code);
	if (options.firstUse ?? true) {
		await page.getByLabel('First name').fill(person.firstName);
		await page.getByLabel('Last name').fill(person.lastName);
	}
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('heading', { name: `Hi ${person.firstName}` })).toBeVisible();
}

/** Runs the real CLI against the e2e server's database. */
export async function createAdmin(person: Person, dataDir = e2eDataDir): Promise<void> {
	await run('npx', ['tsx', 'server/cli/register.ts', 'create-admin', '--email', person.email, '--first', person.firstName, '--last', person.lastName], {
		env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
	});
}

export function newPerson(firstName: string, lastName = 'Tester'): Person {
	return { email: uniqueEmail(firstName.toLowerCase()), firstName, lastName };
}

/** Presses Sign in or Sign out and waits until the server has confirmed it (the outbox is empty). */
export async function press(page: Page, button: 'Sign in' | 'Sign out'): Promise<void> {
	// Once the outbox is open the tap goes through it (before, it is a plain form post).
	await expect(page.locator('form[data-ready="true"]')).toHaveCount(1);
	await page.getByRole('button', { name: button, exact: true }).click();
	await expect(page.getByTestId('status')).toHaveText(button === 'Sign in' ? /signed in since/ : /not signed in/);
	await expect(page.getByTestId('sync-waiting')).toHaveCount(0);
}
