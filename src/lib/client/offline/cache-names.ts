/**
 * Names of the service worker's caches, shared with the page so that logout
 * can delete the cached pages of every version, not just the running one.
 */
export const PAGES_CACHE_PREFIX = 'pages-';
export const ASSETS_CACHE_PREFIX = 'assets-';

/** True for a cache holding pages rendered for a logged-in person. */
export const isPagesCache = (name: string): boolean => name.startsWith(PAGES_CACHE_PREFIX);
/** The kiosk's app shells (`/kiosk`, `/kiosk/pair`): rendered for nobody, so logout leaves them. */
export const KIOSK_CACHE_PREFIX = 'kiosk-';
