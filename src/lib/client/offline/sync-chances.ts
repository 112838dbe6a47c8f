/**
 * The moments a queue should try to send: the network is back, the page is
 * visible again, or the service worker's Background Sync asks (`sync-now`).
 * Returns the way to stop listening.
 */
export function onSyncChance(kick: () => void): () => void {
	const onVisible = () => document.visibilityState === 'visible' && kick();
	const onMessage = (event: MessageEvent) => event.data?.type === 'sync-now' && kick();
	window.addEventListener('online', kick);
	document.addEventListener('visibilitychange', onVisible);
	navigator.serviceWorker?.addEventListener('message', onMessage);
	return () => {
		window.removeEventListener('online', kick);
		document.removeEventListener('visibilitychange', onVisible);
		navigator.serviceWorker?.removeEventListener('message', onMessage);
	};
}
