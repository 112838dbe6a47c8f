import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import type { RollCallReport } from '../../src/lib/contracts/rollcall-protocol';
import { createAdmin, logIn, newPerson, press, type Person } from './support';
import { goOffline, goOnline, installApp } from './offline-support';
import { fakePorts, loopback } from '../fakes/ports';
import { kioskAdmin } from './support/kiosk-support';

// One roll call is open at a time on the server: each test starts from none (a failed test may have left one open).
test.beforeEach(() => kioskAdmin('end-rollcalls'));

/** A surname no other test (or earlier run) uses, so the list's search finds only this test's people. */
const uniqueSurname = (stem: string) => `${stem}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);

/** A staff member who logs in and signs in, so they are on the evacuation list. */
async function signedIn(browser: Browser, person: Person): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await logIn(page, person);
	await press(page, 'Sign in');
	return page;
}

/** An admin makes `person` a fire marshal through the users page. */
async function makeMarshal(admin: Page, person: Person): Promise<void> {
	await admin.goto(`/admin/users?q=${encodeURIComponent(person.lastName)}`);
	await admin.getByRole('link', { name: `${person.firstName} ${person.lastName}` }).click();
	await admin.getByRole('combobox', { name: 'Role' }).selectOption('marshal');
	await admin.getByRole('button', { name: 'Save role' }).click();
	await expect(admin.getByRole('status')).toHaveText('Role saved: marshal.');
}

const row = (page: Page, person: Person): Locator => page.getByTestId('person').filter({ hasText: `${person.firstName} ${person.lastName}` });

async function markAs(page: Page, person: Person, label: 'Safe' | 'Missing' | 'Not in today'): Promise<void> {
	await page.getByRole('button', { name: `${label}: ${person.firstName} ${person.lastName}` }).click();
	await expect(page.getByRole('button', { name: `${label}: ${person.firstName} ${person.lastName}` })).toHaveAttribute('aria-pressed', 'true');
}

async function reportOf(page: Page, id: string): Promise<RollCallReport> {
	const input = encodeURIComponent(JSON.stringify({ id }));
	const reply = await page.request.get(`/api/trpc/rollcall.report?input=${input}`);
	expect(reply.ok()).toBe(true);
	return ((await reply.json()) as { result: { data: RollCallReport } }).result.data;
}

/** The evacuation list as IndexedDB holds it, read without the app's code. */
function storedSnapshot(page: Page): Promise<unknown> {
	return page.evaluate(
		() =>
			new Promise((resolve, reject) => {
				const request = indexedDB.open('building-register');
				request.onerror = () => reject(request.error);
				request.onsuccess = () => {
					const db = request.result;
					const get = db.transaction('rollcall').objectStore('rollcall').get('snapshot');
					get.onsuccess = () => {
						db.close();
						resolve(get.result ?? null);
					};
					get.onerror = () => reject(get.error);
				};
			}),
	);
}

const reportId = async (page: Page) => (await page.getByRole('link', { name: 'Report so far' }).getAttribute('href'))!.split('/')[2]!;

test('two marshals offline start and mark, reconnect, and agree with the server: the later mark wins, both are in the history', async ({ browser }) => {
	test.slow(); // five people log in, two phones install the app
	const surname = uniqueSurname('Evac');
	const [ana, ben, cy] = [newPerson('Ana', surname), newPerson('Ben', surname), newPerson('Cy', surname)];
	const staff = [];
	for (const person of [ana, ben, cy]) staff.push(await signedIn(browser, person));
	expect((await staff[0]!.goto('/rollcall'))?.status()).toBe(403);
	await expect(staff[0]!.getByRole('link', { name: 'Roll call' })).toHaveCount(0);

	const adminPerson = newPerson('Ada', uniqueSurname('Chief'));
	await createAdmin(adminPerson);
	const marshalPerson = newPerson('Mo', uniqueSurname('Warden'));
	const marshalContext = await browser.newContext();
	const marshal = await marshalContext.newPage();
	await logIn(marshal, marshalPerson);
	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();
	await logIn(admin, adminPerson, { firstUse: false });
	await makeMarshal(admin, marshalPerson);

	// Both phones open the roll call page once online: the list and the page are kept.
	for (const page of [admin, marshal]) {
		await page.goto('/');
		await page.getByRole('link', { name: 'Roll call' }).click();
		await expect(page).toHaveURL(/\/rollcall$/);
		await installApp(page);
		await expect(row(page, cy)).toBeVisible();
		await expect(page.getByTestId('list-age')).toHaveText(/^List from \d{2}:\d{2}/);
	}

	await goOffline(adminContext);
	await goOffline(marshalContext);
	for (const page of [admin, marshal]) {
		const shell = await page.reload();
		expect(shell?.fromServiceWorker()).toBe(true);
		await expect(page.getByTestId('list-age')).toHaveText(/offline/);
		await page.getByLabel('Search by name').fill(surname);
		await expect(page.getByTestId('person')).toHaveCount(3);
	}

	// Both start a drill with no network: it must become one roll call on the server.
	for (const page of [admin, marshal]) {
		await page.getByRole('button', { name: 'Start roll call' }).click();
		await page.getByRole('button', { name: 'Drill' }).click();
		await expect(page.getByRole('heading', { name: 'Roll call (drill)' })).toBeVisible();
		await expect(page.getByTestId('progress')).toHaveText(/^0 of \d+ accounted for$/);
	}

	await markAs(admin, ana, 'Safe');
	await markAs(admin, cy, 'Missing');
	await markAs(marshal, ben, 'Not in today');
	await admin.waitForTimeout(50); // the later tap must be later by the clock too
	await markAs(marshal, cy, 'Safe'); // the same person, later, differently
	await expect(admin.getByTestId('rollcall-waiting')).toHaveText('Waiting to send (3)');
	await expect(marshal.getByTestId('rollcall-waiting')).toHaveText('Waiting to send (3)');
	await expect(row(admin, cy)).toHaveAttribute('data-status', 'missing'); // the admin's phone has not heard yet

	await goOnline(adminContext);
	await expect(admin.getByTestId('rollcall-waiting')).toHaveCount(0);
	await goOnline(marshalContext);
	await expect(marshal.getByTestId('rollcall-waiting')).toHaveCount(0);

	const expected = { [ana.firstName]: 'safe', [ben.firstName]: 'absent', [cy.firstName]: 'safe' };
	for (const page of [admin, marshal]) {
		for (const person of [ana, ben, cy]) await expect(row(page, person)).toHaveAttribute('data-status', expected[person.firstName]!);
		await expect(page.getByRole('link', { name: 'Report so far' })).toBeVisible();
	}
	const id = await reportId(admin);
	expect(await reportId(marshal)).toBe(id);

	const report = await reportOf(admin, id);
	expect(report.rollCall.drill).toBe(true);
	expect(report.rollCall.ids).toHaveLength(2); // both offline starts, one roll call
	const ours = report.people.filter((p) => p.lastName === surname);
	expect(Object.fromEntries(ours.map((p) => [p.firstName, p.status]))).toEqual(expected);
	expect(ours.find((p) => p.firstName === 'Cy')?.markedBy).toBe('Mo');
	const cyHistory = report.history.filter((m) => m.userId === ours.find((p) => p.firstName === 'Cy')!.userId);
	expect(cyHistory.map((m) => [m.status, m.by])).toEqual([
		['missing', 'Ada'],
		['safe', 'Mo'],
	]);

	// The phones' numbers are the server's.
	const accounted = report.people.filter((p) => p.status === 'safe' || p.status === 'absent').length;
	for (const page of [admin, marshal]) await expect(page.getByTestId('progress')).toHaveText(`${accounted} of ${report.people.length} accounted for`);

	await admin.goto(`/rollcall/${id}/report`);
	await expect(admin.getByTestId('report-progress')).toHaveText(`${accounted} of ${report.people.length} accounted for`);
	await expect(admin.getByTestId('history-row').filter({ hasText: `Cy ${surname}` })).toHaveCount(2);
	await expect(admin.getByRole('heading', { level: 1 })).toContainText('Drill');
	expect((await staff[0]!.goto(`/rollcall/${id}/report`))?.status()).toBe(403);

	// Ending on one phone ends it on the other.
	await marshal.getByRole('button', { name: 'End roll call' }).click();
	await marshal.getByRole('button', { name: 'Yes, end it' }).click();
	await expect(marshal.getByRole('button', { name: 'Start roll call' })).toBeVisible();
	await expect.poll(async () => (await reportOf(marshal, id)).rollCall.endedAt).not.toBeNull();

	// The list holds names and phone numbers: it leaves the phone with the session.
	expect(await storedSnapshot(marshal)).not.toBeNull();
	await marshal.getByRole('button', { name: 'Log out' }).click();
	await expect(marshal).toHaveURL(/\/login$/);
	expect(await storedSnapshot(marshal)).toBeNull();

	for (const page of staff) await page.context().close();
	await adminContext.close();
	await marshalContext.close();
});

/** The path of the "I'm safe" link in the newest email to this address that the SMTP stand-in received. */
async function safeLinkFor(address: string): Promise<string> {
	let link: string | undefined;
	await expect
		.poll(async () => {
			const mails = (await (await fetch(`${loopback(fakePorts.inspector)}/captured/smtp`)).json()) as Array<{ to: string[]; text: string }>;
			const mail = mails.filter((m) => m.to.some((to) => to.toLowerCase() === address.toLowerCase()) && m.text.includes('/ok/')).pop();
			link = /\/ok\/[\w-]+/.exec(mail?.text ?? '')?.[0];
			return link;
		}, { message: `an "I'm safe" link emailed to ${address}` })
		.toMatch(/^\/ok\//);
	return link!;
}

test("a person's own \"I'm safe\" shows on the marshal's list within seconds, and the report says who marked them", async ({ browser }) => {
	test.slow();
	const surname = uniqueSurname('Self');
	const dora = newPerson('Dora', surname);
	const staff = await signedIn(browser, dora);
	const marshalPerson = newPerson('Rita', uniqueSurname('Warden'));
	await createAdmin(marshalPerson);
	const marshal = await (await browser.newContext()).newPage();
	await logIn(marshal, marshalPerson, { firstUse: false });
	await marshal.goto('/rollcall');
	await expect(row(marshal, dora)).toHaveAttribute('data-status', 'unmarked');
	await marshal.getByRole('button', { name: 'Start roll call' }).click();
	await marshal.getByRole('button', { name: 'Real evacuation' }).click();
	await expect(marshal.getByRole('link', { name: 'Report so far' })).toBeVisible();

	await staff.goto(await safeLinkFor(dora.email));
	await staff.getByRole('button', { name: "I'm safe" }).click();
	await expect(staff.getByRole('status')).toContainText('The fire marshals see you as safe');

	// No reload: the page's 2-second refresh brings it.
	await expect(row(marshal, dora)).toHaveAttribute('data-status', 'safe');
	await expect(row(marshal, dora)).toContainText('Safe · self-report');
	const id = await reportId(marshal);
	const report = await reportOf(marshal, id);
	expect(report.rollCall.drill).toBe(false);
	expect(report.people.find((p) => p.lastName === surname)).toMatchObject({ status: 'safe', markedBy: 'self-report' });

	await marshal.getByRole('button', { name: 'End roll call' }).click();
	await marshal.getByRole('button', { name: 'Yes, end it' }).click();
	await expect(marshal.getByText(/^The last roll call ended at \d{2}:\d{2}\./)).toBeVisible();
	await expect.poll(async () => (await reportOf(marshal, id)).rollCall.endedAt).not.toBeNull();
	await staff.context().close();
	await marshal.context().close();
});

test('the roll call page has no accessibility violations', async ({ browser }) => {
	const person = newPerson('Axel', uniqueSurname('Access'));
	await createAdmin(person);
	const page = await (await browser.newContext()).newPage();
	await logIn(page, person, { firstUse: false });
	await page.goto('/rollcall');
	await expect(page.getByTestId('list-age')).toBeVisible();
	expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
	await page.getByRole('button', { name: 'Start roll call' }).click();
	await expect(page.getByRole('button', { name: 'Drill' })).toBeVisible();
	expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
	await page.context().close();
});
