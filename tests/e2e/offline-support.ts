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

/** The URLs (paths and queries) the service worker keeps in its page caches. */
export function cachedPages(page: Page): Promise<string[]> {
	return page.evaluate(async () => {
		const kept: string[] = [];
		for (const name of await caches.keys()) {
			if (!name.startsWith('pages-')) continue;
			for (const request of await (await caches.open(name)).keys()) {
				const url = new URL(request.url);
				kept.push(url.pathname + url.search);
			}
		}
		return kept;
	});
}

/** The outbox as IndexedDB holds it, read without the app's code. */
export function outboxOf(page: Page): Promise<{ entries: Array<{ kind: string; userId: number }>; currentUserId: unknown }> {
	return page.evaluate(
		() =>
			new Promise((resolve, reject) => {
				const request = indexedDB.open('building-register');
				request.onerror = () => reject(request.error);
				request.onsuccess = () => {
					const db = request.result;
					const tx = db.transaction(['outbox', 'meta'], 'readonly');
					const entries = tx.objectStore('outbox').getAll();
					const current = tx.objectStore('meta').get('currentUserId');
					tx.oncomplete = () => {
						db.close();
						resolve({ entries: entries.result, currentUserId: current.result });
					};
					tx.onerror = () => reject(tx.error);
				};
			}),
	);
}
