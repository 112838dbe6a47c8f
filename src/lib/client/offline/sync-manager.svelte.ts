/**
 * The sync loop. It sends the person's waiting actions to `sync.push` on
 * start, when the browser comes online, when the page becomes visible, after
 * each new action, and while failing with exponential backoff and full
 * jitter; where the browser has Background Sync, the service worker is asked
 * to try too. Confirmed actions leave the outbox; refused ones stay, marked,
 * until the person dismisses them; an expired session keeps everything and
 * asks for a new login.
 */
import type { SyncStatus } from '$lib/contracts/sync-protocol';
import type { OutboxEntry } from './db';
import { dismiss, enqueue, entriesFor, isWaiting, setCurrentUser, settle } from './outbox';
import { BACKGROUND_SYNC_TAG, pushBatch } from './push';

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;

/** Full jitter: a random wait up to the exponential bound, so phones do not retry in step. */
export function backoffDelay(attempt: number, random = Math.random): number {
	return Math.round(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
}

export class SyncManager {
	entries = $state<OutboxEntry[]>([]);
	serverStatus = $state<SyncStatus | null>(null);
	syncing = $state(false);
	needsLogin = $state(false);
	lastError = $state<string | null>(null);

	waiting = $derived(this.entries.filter(isWaiting));
	rejected = $derived(this.entries.filter((e) => !isWaiting(e)));

	private userId: number | null = null;
	private attempt = 0;
	private retryTimer: ReturnType<typeof setTimeout> | undefined;
	private running: Promise<void> | null = null;
	private detach: (() => void) | null = null;

	/** Starts syncing for the logged-in person; listeners are removed by `stop()`. */
	async start(userId: number, status: SyncStatus): Promise<void> {
		this.stop();
		this.userId = userId;
		this.serverStatus = status;
		this.needsLogin = false;
		await setCurrentUser(userId);
		await this.reload();
		const kick = () => void this.sync();
		const onVisible = () => document.visibilityState === 'visible' && kick();
		const onMessage = (event: MessageEvent) => event.data?.type === 'sync-now' && kick();
		window.addEventListener('online', kick);
		document.addEventListener('visibilitychange', onVisible);
		navigator.serviceWorker?.addEventListener('message', onMessage);
		this.detach = () => {
			window.removeEventListener('online', kick);
			document.removeEventListener('visibilitychange', onVisible);
			navigator.serviceWorker?.removeEventListener('message', onMessage);
		};
		void this.sync();
	}

	stop(): void {
		this.detach?.();
		this.detach = null;
		clearTimeout(this.retryTimer);
	}

	/** Writes the action to the outbox first, then tries to send it. */
	async record(kind: OutboxEntry['kind'], at = new Date()): Promise<OutboxEntry> {
		if (this.userId === null) throw new Error('SyncManager.record before start');
		const started = performance.now();
		const entry = await enqueue(this.userId, kind, at);
		await this.reload();
		// A user-timing entry costs nothing and lets `npm run bench` read the outbox write latency.
		performance.measure('outbox-write', { start: started });
		void this.sync();
		return entry;
	}

	async dismiss(id: string): Promise<void> {
		await dismiss(id);
		await this.reload();
	}

	/** Sends everything waiting; concurrent calls share one run. Resolves when the run ends. */
	sync(): Promise<void> {
		this.running ??= this.run().finally(() => {
			this.running = null;
		});
		return this.running;
	}

	private async reload(): Promise<void> {
		this.entries = this.userId === null ? [] : await entriesFor(this.userId);
	}

	private async run(): Promise<void> {
		clearTimeout(this.retryTimer);
		this.syncing = true;
		try {
			while (this.userId !== null && this.waiting.length > 0) {
				const result = await pushBatch(this.waiting);
				if (result.kind === 'login') {
					this.needsLogin = true;
					return;
				}
				if (result.kind === 'retry') {
					this.lastError = result.error;
					this.scheduleRetry();
					return;
				}
				const before = this.waiting.length;
				await settle(result.reply.results);
				this.serverStatus = result.reply.status;
				this.attempt = 0;
				this.lastError = null;
				this.needsLogin = false;
				await this.reload();
				if (this.waiting.length >= before) return; // the server answered nothing new: do not spin
			}
		} finally {
			this.syncing = false;
		}
	}

	private scheduleRetry(): void {
		this.retryTimer = setTimeout(() => void this.sync(), backoffDelay(this.attempt));
		this.attempt += 1;
		void navigator.serviceWorker?.ready
			.then((registration) => (registration as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }).sync?.register(BACKGROUND_SYNC_TAG))
			.catch(() => undefined);
	}

	reset(): void {
		this.stop();
		this.entries = [];
		this.serverStatus = null;
		this.syncing = false;
		this.needsLogin = false;
		this.lastError = null;
		this.userId = null;
		this.attempt = 0;
	}
}

export const syncManager = new SyncManager();
