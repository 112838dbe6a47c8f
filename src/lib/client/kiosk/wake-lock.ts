/**
 * Keeps the tablet's screen on. A screen wake lock is released by the
 * browser whenever the page is hidden (screen off, another app), so it is
 * asked for again each time the page becomes visible.
 */
export interface ScreenAwake {
	release(): void;
}

export function keepScreenAwake(onChange: (held: boolean) => void = () => undefined): ScreenAwake {
	let sentinel: WakeLockSentinel | null = null;
	let released = false;

	async function acquire() {
		if (released || !('wakeLock' in navigator) || document.visibilityState !== 'visible') return;
		try {
			sentinel = await navigator.wakeLock.request('screen');
			onChange(true);
			sentinel.addEventListener('release', () => onChange(false), { once: true });
		} catch {
			onChange(false); // refused (battery saver, say): the kiosk still works, its screen may dim
		}
	}

	const onVisible = () => void acquire();
	document.addEventListener('visibilitychange', onVisible);
	void acquire();
	return {
		release() {
			released = true;
			document.removeEventListener('visibilitychange', onVisible);
			void sentinel?.release().catch(() => undefined);
		},
	};
}
