/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * App-shell caching for the installed app, with Workbox strategies. Build
 * assets and static files are precached per version (cache first). Only the
 * staff page (`/` and its `__data.json`) is kept for offline use, network
 * first with a 3-second timeout so a weak signal falls back to the copy
 * quickly; profile, admin, login and every other page go to the network and
 * answer a small offline page when it is away. The entrance poster and
 * presence code pages (`/e/<slug>`, `/k/<kiosk>/<code>`) render in the
 * browser: one kept shell (and its layout data) answers any of them offline,
 * and `/place-context.json` gives them the person and the places (issue 9). Logout deletes the cached
 * pages (src/lib/client/offline/session-end.ts). A new version waits until
 * the page's "Update available" prompt asks it to take over. Background Sync
 * hands the outbox to an open page, or sends it itself when no page is open.
 *
 * A reception kiosk (issue 9) also needs its pages (`/kiosk`, `/kiosk/pair`,
 * network first, fetched without cookies so no one's name is kept) and its
 * badge decoder (a worker and ZXing's wasm, about 1 MB) offline. Phones never
 * use the decoder, so it is precached only on a paired tablet: at install,
 * and when the kiosk page asks (`kiosk-precache`) right after pairing.
 */
import { build, files, version } from '$service-worker';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';
import { ExpirationPlugin } from 'workbox-expiration';
import type { WorkboxPlugin } from 'workbox-core/types';
import { currentUser, entriesFor, isWaiting, settle } from '$lib/client/offline/outbox';
import { BACKGROUND_SYNC_TAG, pushBatch } from '$lib/client/offline/push';
import { ASSETS_CACHE_PREFIX, KIOSK_CACHE_PREFIX, PAGES_CACHE_PREFIX } from '$lib/client/offline/cache-names';
import { loadPairing } from '$lib/client/kiosk/kiosk-store';

const worker = self as unknown as ServiceWorkerGlobalScope;
const ASSETS = `${ASSETS_CACHE_PREFIX}${version}`;
const PAGES = `${PAGES_CACHE_PREFIX}${version}`;
const KIOSK = `${KIOSK_CACHE_PREFIX}${version}`;
const OFFLINE_PAGE = '/offline.html';
const precached = new Set([...build, ...files]);
/** Never answered by the worker: APIs, downloads, and pages whose redirects must reach the browser untouched. */
const passThrough = ['/api/', '/report.json', '/profile/data.json', '/accounts/', '/login/microsoft', '/logout'];

/**
 * Keeps only a page that rendered for a logged-in person: not a redirect to
 * /login (an opaque redirect for navigations, a `{type: "redirect"}` body
 * for data), not an error. Replaces Workbox's default, which would also keep
 * opaque responses.
 */
const personalPagesOnly: WorkboxPlugin = {
	async cacheWillUpdate({ request, response }) {
		if (!response.ok || response.redirected || response.type !== 'basic') return null;
		if (new URL(request.url).pathname.endsWith('/__data.json')) {
			const body = (await response.clone().json().catch(() => null)) as { type?: string } | null;
			if (body?.type !== 'data') return null;
		}
		return response;
	},
};

const NETWORK_TIMEOUT_SECONDS = 3;
// A handful of entries: the page itself and the variants of its data SvelteKit asks for.
const pagesPlugins = () => [personalPagesOnly, new ExpirationPlugin({ maxEntries: 8, purgeOnQuotaError: true })];
/** The staff page: any query string opens the same page offline. */
const staffPage = new NetworkFirst({
	cacheName: PAGES,
	networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
	matchOptions: { ignoreSearch: true },
	plugins: pagesPlugins(),
});
/** Its data: the query says which parts SvelteKit wants, so it is part of the key. */
const staffData = new NetworkFirst({ cacheName: PAGES, networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS, plugins: pagesPlugins() });
const assets = new CacheFirst({ cacheName: ASSETS });

/** The kiosk's pages: the same app shell for anyone, so any query (`?display`, `?code=`) opens the one copy. */
const KIOSK_PAGES = ['/kiosk', '/kiosk/pair'];
/** The badge decoder: its worker and the ZXing wasm, only a kiosk loads them. */
const isKioskAsset = (path: string) => path.endsWith('.wasm') || path.startsWith('/_app/immutable/workers/');
const kioskShellOnly: WorkboxPlugin = {
	cacheWillUpdate: async ({ response }) => (response.ok && !response.redirected && response.type === 'basic' ? response : null),
};
const kioskPage = new NetworkFirst({ cacheName: KIOSK, networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS, plugins: [kioskShellOnly] });
/** Without cookies: a kiosk page kept for days must not carry the name of whoever was logged in on the tablet. */
const kioskShellRequest = (pathname: string) => new Request(new URL(pathname, worker.location.origin).href, { credentials: 'omit' });
/** Poster and presence pages: every URL is different (a presence code changes every 30 s), the page is not. */
const isPlacePage = (pathname: string) => pathname.startsWith('/e/') || pathname.startsWith('/k/');
const PLACE_SHELL = '/e/_shell';
const PLACE_SHELL_DATA = '/e/_shell/__data.json';
const PLACE_CONTEXT = '/place-context.json';

/**
 * Network first with a short timeout, keeping a good answer under `key`;
 * offline, the kept copy. Only answers for a logged-in person are kept
 * (no redirect to /login, no error, SvelteKit data of type "data").
 */
async function keptUnder(key: string, request: Request): Promise<Response> {
	try {
		const response = await fetch(request, { signal: AbortSignal.timeout(NETWORK_TIMEOUT_SECONDS * 1000) });
		const keep = await personalPagesOnly.cacheWillUpdate!({ request, response: response.clone(), event: undefined as never, state: undefined });
		if (keep) await (await caches.open(PAGES)).put(key, keep);
		return response;
	} catch (error) {
		const kept = await caches.match(key, { cacheName: PAGES });
		if (kept) return kept;
		throw error;
	}
}

/** Keeps what the place pages need, so a poster scanned offline later still opens. */
async function keepPlacePages(): Promise<void> {
	await Promise.all(
		[PLACE_SHELL, `${PLACE_SHELL_DATA}?x-sveltekit-invalidated=11`, PLACE_CONTEXT].map((path, i) =>
			keptUnder([PLACE_SHELL, PLACE_SHELL_DATA, PLACE_CONTEXT][i]!, new Request(path, { credentials: 'same-origin' })).catch(() => undefined),
		),
	);
}

/**
 * Precaches a few files at a time: all at once would take every connection
 * the browser allows to the server, and the page's own requests (the first
 * "Send me a code" on a slow phone) would wait behind seventy-odd files.
 */
const PRECACHE_AT_ONCE = 3;

/** Everything a kiosk needs offline: its decoder and its pages. */
async function precacheKiosk(event: ExtendableEvent): Promise<void> {
	const assets = await caches.open(ASSETS);
	await assets.addAll([...precached].filter(isKioskAsset));
	for (const path of KIOSK_PAGES) {
		const [, kept] = kioskPage.handleAll({ event, request: kioskShellRequest(path) });
		await kept;
	}
}

async function precache(): Promise<void> {
	const assets = await caches.open(ASSETS);
	const paths = [...precached].filter((path) => !isKioskAsset(path));
	for (let i = 0; i < paths.length; i += PRECACHE_AT_ONCE) await assets.addAll(paths.slice(i, i + PRECACHE_AT_ONCE));
}

worker.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			await precache();
			// Logged out (a redirect) or offline, nothing is kept and the install still succeeds.
			const [, kept] = staffPage.handleAll({ event, request: new Request('/') });
			await kept.catch(() => undefined);
			// A paired tablet keeps working offline across an app update.
			// Never at the cost of the install: the kiosk page asks again (`kiosk-precache`) when it opens.
			if (await loadPairing().catch(() => null)) await precacheKiosk(event).catch(() => undefined);
			await keepPlacePages();
		})(),
	);
});

worker.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key !== ASSETS && key !== PAGES && key !== KIOSK) await caches.delete(key);
		})(),
	);
});

worker.addEventListener('message', (event) => {
	if (event.data?.type === 'SKIP_WAITING') void worker.skipWaiting();
	if (event.data?.type === 'kiosk-precache') event.waitUntil(precacheKiosk(event).catch(() => undefined));
});

/** The friendly answer for a page that needs the network while there is none. */
async function offlinePage(): Promise<Response> {
	const saved = await caches.match(OFFLINE_PAGE, { cacheName: ASSETS });
	const headers = { 'content-type': 'text/html; charset=utf-8' };
	if (saved) return new Response(saved.body, { status: 503, headers });
	return new Response('<!doctype html><title>You are offline</title><h1>You are offline</h1><p><a href="/">Open the sign-in page</a></p>', {
		status: 503,
		headers,
	});
}

worker.addEventListener('fetch', (event) => {
	const { request } = event;
	const url = new URL(request.url);
	if (request.method !== 'GET' || url.origin !== worker.location.origin) return;
	if (passThrough.some((prefix) => url.pathname.startsWith(prefix))) return;
	if (precached.has(url.pathname)) {
		event.respondWith(assets.handle({ event, request }));
	} else if (KIOSK_PAGES.includes(url.pathname) && request.mode === 'navigate') {
		event.respondWith(kioskPage.handle({ event, request: kioskShellRequest(url.pathname) }).catch(offlinePage));
	} else if (url.pathname === '/' && request.mode === 'navigate') {
		event.respondWith(staffPage.handle({ event, request }).catch(offlinePage));
		// The person may have logged in since install: keep the place pages' data fresh too.
		event.waitUntil(keepPlacePages());
	} else if (isPlacePage(url.pathname) && url.pathname.endsWith('/__data.json')) {
		event.respondWith(keptUnder(PLACE_SHELL_DATA, request));
	} else if (isPlacePage(url.pathname) && request.mode === 'navigate') {
		event.respondWith(keptUnder(PLACE_SHELL, request).catch(offlinePage));
	} else if (url.pathname === '/profile/badge/__data.json') {
		event.respondWith(keptUnder('/profile/badge/__data.json', request));
	} else if (url.pathname === '/profile/badge' && request.mode === 'navigate') {
		// The printable badge, QR inline: kept so the person can show it at the kiosk with no signal.
		event.respondWith(keptUnder('/profile/badge', request).catch(offlinePage));
	} else if (url.pathname === PLACE_CONTEXT) {
		event.respondWith(keptUnder(PLACE_CONTEXT, request));
	} else if (url.pathname === '/__data.json') {
		event.respondWith(staffData.handle({ event, request }));
	} else if (request.mode === 'navigate') {
		event.respondWith(fetch(request).catch(offlinePage));
	}
});

/** Background Sync: an open page syncs (it shows the outcome); with none open, the worker sends. */
async function backgroundSync(): Promise<void> {
	const pages = await worker.clients.matchAll({ type: 'window' });
	if (pages.length) {
		for (const page of pages) page.postMessage({ type: 'sync-now' });
		return;
	}
	const userId = await currentUser(); // null after logout: nobody's actions are sent
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

/** Web Push (issue 11): the server sends `{title, body, url}`; a tap opens (or focuses) that page. */
worker.addEventListener('push', (event) => {
	let message: { title?: string; body?: string; url?: string } = {};
	try {
		message = event.data?.json() ?? {};
	} catch {
		message = { body: event.data?.text() };
	}
	event.waitUntil(
		worker.registration.showNotification(message.title ?? 'Building Register', {
			body: message.body ?? '',
			icon: '/icons/icon-192.png',
			data: { url: message.url ?? '/' },
		}),
	);
});

worker.addEventListener('notificationclick', (event) => {
	event.notification.close();
	const target = new URL((event.notification.data as { url?: string } | null)?.url ?? '/', worker.location.origin);
	event.waitUntil(
		(async () => {
			const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
			const open = windows.find((w) => new URL(w.url).href === target.href);
			if (open) return open.focus();
			return worker.clients.openWindow(target.href);
		})(),
	);
});
