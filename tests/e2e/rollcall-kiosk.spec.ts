/**
 * The reception kiosk during a fire roll call (issue 12): it turns to its
 * evacuation screen within seconds, and a person leaving taps their name (or
 * scans their badge) to be marked safe, online or with the marks kept on the
 * tablet until the network is back.
 */
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { e2eBaseUrl } from '../../playwright.config';
import { goOffline, goOnline } from './offline-support';
import { expectKioskKeptOffline, kioskAdmin, kioskWaiting, makeKiosk, makePerson, pairTablet, scanResult } from './support/kiosk-support';
import type { RollCallReport } from '../../src/lib/contracts/rollcall-protocol';

test.beforeEach(async () => {
	test.slow();
	await kioskAdmin('end-rollcalls');
});
test.afterEach(() => kioskAdmin('end-rollcalls'));

/** A kiosk may start a roll call (the alarm is ringing): the tablet's own cookie, through sync.push. */
async function startRollCallFrom(page: Page, drill: boolean): Promise<string> {
	const rollCallId = randomUUID();
	const response = await page.request.post('/api/trpc/sync.push', {
		headers: { origin: e2eBaseUrl },
		data: { schemaVersion: 1, actions: [{ id: randomUUID(), kind: 'rollcall-start', clientAt: new Date().toISOString(), deviceId: 'kiosk-e2e', rollCallId, drill }] },
	});
	expect(response.ok()).toBe(true);
	return rollCallId;
}

async function tapName(page: Page, letter: string, name: string): Promise<void> {
	await page.getByRole('button', { name: 'Tap your name' }).click();
	await page.getByRole('group', { name: 'First letter' }).getByRole('button', { name: letter, exact: true }).click();
	await page.getByRole('button', { name }).click();
}

const statusOf = async (rollCallId: string, userId: number) =>
	(await kioskAdmin<RollCallReport>('rollcall-report', rollCallId)).people.find((p) => p.userId === userId)?.status ?? 'not listed';

test('a roll call started on the kiosk turns it to its evacuation screen, and a person who taps their name is marked safe', async ({ page }) => {
	const yara = await makePerson('Yara');
	const kiosk = await makeKiosk();
	await pairTablet(page, kiosk.code);
	await expect(page.getByTestId('kiosk-evacuation')).toHaveCount(0);

	await page.getByRole('button', { name: 'Fire alarm? Start a roll call' }).click();
	await page.getByRole('alertdialog', { name: 'Start a fire roll call?' }).getByRole('button', { name: 'Drill' }).click();
	await expect(page.getByTestId('kiosk-evacuation')).toContainText('Fire drill');
	await expect.poll(() => kioskAdmin<string | null>('open-rollcall')).not.toBeNull();
	const rollCallId = (await kioskAdmin<string>('open-rollcall'))!;
	expect((await kioskAdmin<RollCallReport>('rollcall-report', rollCallId)).rollCall).toMatchObject({ drill: true, startedBy: 'the kiosk' });
	await tapName(page, 'Y', 'Yara Kiosk');
	await expect(scanResult(page)).toContainText('Marked safe at');
	await expect.poll(() => statusOf(rollCallId, yara.userId)).toBe('safe');
	const report = await kioskAdmin<RollCallReport>('rollcall-report', rollCallId);
	expect(report.history.filter((m) => m.userId === yara.userId)).toMatchObject([{ status: 'safe', by: 'self-report' }]);
});

test('a roll call started elsewhere reaches the kiosk; with no network it keeps the marks of people leaving, and sends them when it is back', async ({ page, context }) => {
	const zack = await makePerson('Zack');
	const kiosk = await makeKiosk();
	await pairTablet(page, kiosk.code);
	const rollCallId = await startRollCallFrom(page, false);
	await expect(page.getByTestId('kiosk-evacuation')).toContainText('Fire alarm', { timeout: 15_000 });

	await expectKioskKeptOffline(page);
	await goOffline(context);
	await tapName(page, 'Z', 'Zack Kiosk');
	await expect(scanResult(page)).toContainText('Marked safe at');
	await expect(kioskWaiting(page)).toContainText('1 scan waiting');
	await page.reload(); // the mark survives a restart of the page
	await expect(kioskWaiting(page)).toContainText('1 scan waiting');
	expect(await statusOf(rollCallId, zack.userId)).not.toBe('safe');

	await goOnline(context);
	await expect.poll(() => statusOf(rollCallId, zack.userId), { timeout: 20_000 }).toBe('safe');
	await expect(kioskWaiting(page)).toHaveText('All scans sent');
});
