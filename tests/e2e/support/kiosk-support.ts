/** Helpers for the kiosk e2e tests: badges, the kiosk's IndexedDB, and what its screen says. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { expect, type Page } from '@playwright/test';
import { badgeHash } from '../../../src/lib/contracts/kiosk-protocol';
import { e2eDataDir } from '../../../playwright.config';

/** A fresh badge secret and its hash, as the server would issue it. */
export async function newBadge(): Promise<{ secret: string; hash: string }> {
	const secret = randomBytes(32).toString('base64url');
	return { secret, hash: await badgeHash(secret) };
}

export const badgeUrl = (origin: string, secret: string) => `${origin}/b/${secret}`;

/** The kiosk's stores as the page sees them, read without the app's code. */
export function kioskStoreOf(page: Page): Promise<{ scans: Array<Record<string, unknown>>; pairing: unknown; revoked: unknown }> {
	return page.evaluate(
		() =>
			new Promise((resolve, reject) => {
				const request = indexedDB.open('building-register');
				request.onerror = () => reject(request.error);
				request.onsuccess = () => {
					const db = request.result;
					const tx = db.transaction(['kioskOutbox', 'kiosk'], 'readonly');
					const scans = tx.objectStore('kioskOutbox').getAll();
					const pairing = tx.objectStore('kiosk').get('pairing');
					const revoked = tx.objectStore('kiosk').get('revoked');
					tx.oncomplete = () => {
						db.close();
						resolve({ scans: scans.result, pairing: pairing.result, revoked: revoked.result });
					};
					tx.onerror = () => reject(tx.error);
				};
			}),
	);
}

export const scanResult = (page: Page) => page.getByTestId('scan-result');
export const kioskWaiting = (page: Page) => page.getByTestId('kiosk-waiting');

/**
 * How long the first sighting of a badge may take after the camera is allowed: the page
 * reloads, the camera starts and the decoder worker loads. Once, in CI on a loaded
 * machine, nothing was read within the default 10 s (and was the next time).
 */
export const FIRST_SIGHTING_MS = 20_000;

/** Waits for the kiosk to show `firstName` with "Signed in HH:MM" / "Signed out HH:MM". */
export async function expectResult(page: Page, firstName: string, direction: 'in' | 'out'): Promise<void> {
	await expect(scanResult(page)).toContainText(firstName, { timeout: FIRST_SIGHTING_MS });
	await expect(scanResult(page)).toContainText(new RegExp(`Signed ${direction} \\d{2}:\\d{2}`));
}

/**
 * The kiosk admin helper, started once per test worker and kept running
 * (`serve`): a tsx start costs seconds on a loaded machine, and a test needs several commands.
 */
class KioskAdminProcess {
	private child?: ChildProcessWithoutNullStreams;
	private lines?: AsyncIterator<string>;
	private queue: Promise<unknown> = Promise.resolve();

	private start(): AsyncIterator<string> {
		this.child = spawn('npx', ['tsx', 'tests/e2e/support/kiosk-admin.cli.ts', 'serve'], {
			env: { ...process.env, DATA_DIR: e2eDataDir, LOG_LEVEL: 'silent' },
		});
		this.child.stderr.resume();
		this.child.unref();
		const lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
		this.lines = lines;
		return lines;
	}

	run<T>(args: string[]): Promise<T> {
		const turn = this.queue.then(async () => {
			const lines = this.lines ?? this.start();
			this.child!.stdin.write(`${JSON.stringify(args)}\n`);
			const next = await lines.next();
			if (next.done) throw new Error(`kiosk admin helper stopped (${args.join(' ')})`);
			const answer = JSON.parse(next.value) as { ok?: T; error?: string };
			if (answer.error !== undefined) throw new Error(`kiosk admin helper: ${answer.error}`);
			return answer.ok as T;
		});
		this.queue = turn.catch(() => undefined);
		return turn;
	}
}

const helper = new KioskAdminProcess();

/** Runs a kiosk admin command against the e2e server's database. */
export function kioskAdmin<T = unknown>(...args: string[]): Promise<T> {
	return helper.run<T>(args);
}

export interface KioskMade {
	kioskId: number;
	code: string;
	location: { slug: string; name: string };
}

export interface BadgeHolder {
	userId: number;
	firstName: string;
	secret: string;
}

export const makeKiosk = (name = 'Front desk', locationName = 'Reception') => kioskAdmin<KioskMade>('kiosk', name, locationName);
export const makePerson = async (firstName: string) => (await kioskAdmin<BadgeHolder[]>('people', '1', firstName))[0]!;
export const recordsOf = (userId: number) => kioskAdmin<Array<{ signInAt: string; signOutAt: string | null; location: string | null }>>('records', String(userId));

/** Pairs the page's tablet through the pairing page, as scanning the admin's pairing QR would. */
export async function pairTablet(page: Page, code: string): Promise<void> {
	await page.goto(`/kiosk/pair?code=${code}`);
	await expect(page).toHaveURL(/\/kiosk$/);
	await expect(page.getByRole('button', { name: /Type your name/ })).toBeEnabled(); // the roster has arrived
}

/** Waits until the service worker keeps the kiosk's pages and decoder, so the tablet can start offline. */
export async function expectKioskKeptOffline(page: Page): Promise<void> {
	await expect
		.poll(() =>
			page.evaluate(async () => {
				const keys = await Promise.all((await caches.keys()).map(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname)));
				const all = keys.flat();
				return all.some((p) => p.endsWith('.wasm')) && all.includes('/kiosk') && all.some((p) => p.includes('/workers/'));
			}),
		)
		.toBe(true);
}
