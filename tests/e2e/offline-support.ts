/** Going offline, and installing the app, for the e2e tests of the offline promise. */
import { expect, type BrowserContext, type Page } from '@playwright/test';

/**
 * Offline for the page and for its service worker: Playwright's setOffline
 * does not cut the worker's own fetches (microsoft/playwright#2311), so every
 * request of the context is also aborted.
 */
export async function goOffline(context: BrowserContext): Promise<void> {
	await context.setOffline(true);
	await context.route('**/*', (route) => route.abort('internetdisconnected'));
}

export async function goOnline(context: BrowserContext): Promise<void> {
	await context.unroute('**/*');
	await context.setOffline(false);
}

/** The first load is not controlled by the service worker; after a reload it is. */
export async function installApp(page: Page): Promise<void> {
	await expect.poll(() => page.evaluate(async () => Boolean(await navigator.serviceWorker.getRegistration()))).toBe(true);
	await page.evaluate(() => navigator.serviceWorker.ready);
	await page.reload();
	await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

export const waiting = (page: Page) => page.getByTestId('sync-waiting');
export const status = (page: Page) => page.getByTestId('status');

