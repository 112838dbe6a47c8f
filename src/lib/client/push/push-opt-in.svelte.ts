/**
 * "Notifications on this device": subscribes this browser to Web Push with
 * the server's VAPID key through the service worker, and tells the server
 * (plain fetch to tRPC, as the kiosk does: no tRPC client in the bundle).
 */
export type PushState = 'checking' | 'unsupported' | 'blocked' | 'off' | 'on';

interface TrpcReply<T> {
	result?: { data: T };
	error?: { message?: string };
}

async function call<T>(path: string, input: unknown): Promise<T> {
	const response = await fetch(`/api/trpc/${path}`, {
		method: 'POST',
		credentials: 'same-origin',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(input),
		signal: AbortSignal.timeout(10_000),
	});
	const body = (await response.json().catch(() => ({}))) as TrpcReply<T>;
	if (!response.ok || !body.result) throw new Error(body.error?.message ?? `The server answered ${response.status}.`);
	return body.result.data;
}

/** The VAPID key as the bytes PushManager.subscribe wants. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
	const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
	const raw = atob(base64);
	const bytes = new Uint8Array(new ArrayBuffer(raw.length));
	for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
	return bytes;
}

export class PushOptIn {
	state = $state<PushState>('checking');
	busy = $state(false);
	/** The outcome of the last action, for a status line. */
	message = $state('');
	failed = $state(false);

	private async registration(): Promise<ServiceWorkerRegistration> {
		return navigator.serviceWorker.ready;
	}

	async refresh(): Promise<void> {
		if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
			this.state = 'unsupported';
			return;
		}
		if (Notification.permission === 'denied') {
			this.state = 'blocked';
			return;
		}
		const subscription = await (await this.registration()).pushManager.getSubscription();
		this.state = subscription ? 'on' : 'off';
	}

	private async run(work: () => Promise<string>): Promise<void> {
		this.busy = true;
		this.failed = false;
		try {
			this.message = await work();
		} catch (error) {
			this.failed = true;
			this.message = error instanceof Error ? error.message : String(error);
		} finally {
			this.busy = false;
		}
	}

	enable(publicKey: string): Promise<void> {
		return this.run(async () => {
			const permission = await Notification.requestPermission();
			if (permission !== 'granted') {
				this.state = permission === 'denied' ? 'blocked' : 'off';
				throw new Error('Notifications were not allowed for this site.');
			}
			const registration = await this.registration();
			const subscription =
				(await registration.pushManager.getSubscription()) ??
				(await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
			await call('profile.push.subscribe', subscription.toJSON());
			this.state = 'on';
			return 'Notifications are on for this device.';
		});
	}

	disable(): Promise<void> {
		return this.run(async () => {
			const subscription = await (await this.registration()).pushManager.getSubscription();
			if (subscription) {
				await call('profile.push.unsubscribe', { endpoint: subscription.endpoint });
				await subscription.unsubscribe();
			}
			this.state = 'off';
			return 'Notifications are off for this device.';
		});
	}

	test(): Promise<void> {
		return this.run(async () => {
			const subscription = await (await this.registration()).pushManager.getSubscription();
			if (!subscription) throw new Error('Turn notifications on first.');
			const reply = await call<{ sent: boolean; error?: string }>('profile.push.test', { endpoint: subscription.endpoint });
			if (!reply.sent) throw new Error(`The test was not delivered: ${reply.error ?? 'unknown reason'}.`);
			return 'Test sent: it should appear in a moment.';
		});
	}
}
