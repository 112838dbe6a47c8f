/**
 * Registers the service worker through workbox-window and tracks whether a
 * new version is waiting. The new version takes over only when the person
 * chooses "Reload to update", so nothing changes under their thumb.
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
		workbox.addEventListener('controlling', (event) => {
			if (event.isUpdate) window.location.reload();
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

	apply(): void {
		this.workbox?.messageSkipWaiting();
	}
}

export const appUpdate = new AppUpdate();
