/**
 * Registers the service worker through workbox-window and tracks whether a
 * new version is waiting. The new version takes over only when the person
 * chooses "Reload to update", so nothing changes under their thumb. The
 * waiting worker is messaged through the registration itself, which also
 * covers a version found by an update check workbox-window did not start.
 */
import type { Workbox } from 'workbox-window';

export class AppUpdate {
	available = $state(false);
	private workbox: Workbox | undefined;

	async register(): Promise<void> {
		if (!('serviceWorker' in navigator) || this.workbox) return;
		const { Workbox } = await import('workbox-window');
		const workbox = new Workbox('/service-worker.js');
		workbox.addEventListener('waiting', () => {
			this.available = true;
		});
		this.workbox = workbox;
		await workbox.register();
		document.addEventListener('visibilitychange', () => {
			if (document.visibilityState === 'visible') void this.check();
		});
	}

	/** Asks the server for a newer worker (also done by the browser on navigations). */
	async check(): Promise<void> {
		await this.workbox?.update().catch(() => undefined);
	}

	/** Lets the waiting version take over, then reloads into it once it controls the page. */
	async apply(): Promise<void> {
		navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
		const registration = await navigator.serviceWorker.getRegistration();
		registration?.waiting?.postMessage({ type: 'SKIP_WAITING' });
	}
}

export const appUpdate = new AppUpdate();
