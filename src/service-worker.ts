/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * App-shell caching for the installed app. Build assets and static files are
 * precached per version (cache first); pages and their data are network
 * first, falling back to the last copy, so the staff page opens offline.
 * A new version waits until the page's "Update available" prompt asks it to
 * take over. Background Sync hands the outbox to an open page, or sends it
 * itself when no page is open.
 */
import { build, files, version } from '$service-worker';
import { currentUser, entriesFor, isWaiting, settle } from '$lib/client/offline/outbox';
import { BACKGROUND_SYNC_TAG, pushBatch } from '$lib/client/offline/push';

const worker = self as unknown as ServiceWorkerGlobalScope;
const ASSETS = `assets-${version}`;
const PAGES = `pages-${version}`;
const precached = new Set([...build, ...files]);
const networkOnly = ['/api/', '/report.json', '/accounts/', '/login/microsoft', '/logout'];

worker.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			await (await caches.open(ASSETS)).addAll([...precached]);
			await cachePage(new Request('/'));
		})(),
	);
});

worker.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key !== ASSETS && key !== PAGES) await caches.delete(key);
		})(),
	);
});

worker.addEventListener('message', (event) => {
	if (event.data?.type === 'SKIP_WAITING') void worker.skipWaiting();
});

/** Keeps a copy of a page (or its data) that rendered for a logged-in person. */
async function cachePage(request: Request): Promise<Response | undefined> {
	try {
		const response = await fetch(request);
		if (response.ok && !response.redirected && response.type === 'basic') {
			await (await caches.open(PAGES)).put(request, response.clone());
		}
		return response;
	} catch {
		return undefined;
	}
}

async function networkFirst(request: Request, navigation: boolean): Promise<Response> {
	const fresh = await cachePage(request);
	if (fresh) return fresh;
	const pages = await caches.open(PAGES);
	const copy = (await pages.match(request, { ignoreSearch: navigation })) ?? (navigation ? await pages.match('/') : undefined);
	return copy ?? new Response('You are offline and this page has not been saved yet.', { status: 503, headers: { 'content-type': 'text/plain' } });
}

worker.addEventListener('fetch', (event) => {
	const { request } = event;
	const url = new URL(request.url);
	if (request.method !== 'GET' || url.origin !== worker.location.origin) return;
	if (networkOnly.some((prefix) => url.pathname.startsWith(prefix))) return;
	if (precached.has(url.pathname)) {
		event.respondWith(caches.match(url.pathname).then((hit) => hit ?? fetch(request)));
		return;
	}
	if (request.mode === 'navigate' || url.pathname.endsWith('/__data.json')) {
		event.respondWith(networkFirst(request, request.mode === 'navigate'));
	}
});

/** Background Sync: an open page syncs (it shows the outcome); with none open, the worker sends. */
async function backgroundSync(): Promise<void> {
	const pages = await worker.clients.matchAll({ type: 'window' });
	if (pages.length) {
		for (const page of pages) page.postMessage({ type: 'sync-now' });
		return;
	}
	const userId = await currentUser();
	if (userId === null) return;
	const waiting = (await entriesFor(userId)).filter(isWaiting);
	if (!waiting.length) return;
	const result = await pushBatch(waiting);
	if (result.kind === 'ok') await settle(result.reply.results);
	else if (result.kind === 'retry') throw new Error(result.error); // the browser retries later
}

worker.addEventListener('sync', (event) => {
	const sync = event as Event & { tag: string; waitUntil(p: Promise<unknown>): void };
	if (sync.tag === BACKGROUND_SYNC_TAG) sync.waitUntil(backgroundSync());
});
