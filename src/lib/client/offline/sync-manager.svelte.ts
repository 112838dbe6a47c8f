/**
 * The sync loop. It sends the person's waiting actions to `sync.push` on
 * start, when the browser comes online, when the page becomes visible, after
 * each new action, and while failing with exponential backoff and full
 * jitter; where the browser has Background Sync, the service worker is asked
 * to try too. Confirmed actions leave the outbox; refused ones and ones that
 * changed nothing stay, marked, until the person dismisses them; an expired
 * session keeps everything and asks for a new login. Other people's actions
 * on this phone wait for them, and are counted for the page to say so.
 */
import type { SyncResult, SyncStatus } from '$lib/contracts/sync-protocol';
import type { OutboxEntry } from './db';
import { allEntries, dismiss, enqueue, isWaiting, reassign, setCurrentUser, settle } from './outbox';
import { BACKGROUND_SYNC_TAG, claimableUserIds, pushBatch } from './push';
import { onSyncChance } from './sync-chances';

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;

/** Full jitter: a random wait up to the exponential bound, so phones do not retry in step. */
export function backoffDelay(attempt: number, random = Math.random): number {
	return Math.round(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
}

export interface Person {
	userId: number;
	firstName: string;
}

export class SyncManager {
	/** This person's entries: waiting, refused or answered with a no-op. */
	entries = $state<OutboxEntry[]>([]);
	/** Other people's waiting entries on this phone. */
	others = $state<OutboxEntry[]>([]);
	serverStatus = $state<SyncStatus | null>(null);
	syncing = $state(false);
	needsLogin = $state(false);
	lastError = $state<string | null>(null);
	/** The server's answers of this page's life, by action id. */
	answers = $state<Record<string, SyncResult>>({});

	waiting = $derived(this.entries.filter(isWaiting));
	answered = $derived(this.entries.filter((e) => !isWaiting(e)));

	private person: Person | null = null;
	private attempt = 0;
	private retryTimer: ReturnType<typeof setTimeout> | undefined;
	private running: Promise<void> | null = null;
	private detach: (() => void) | null = null;

	/** Starts syncing for the logged-in person; listeners are removed by `stop()`. */
	async start(person: Person, status: SyncStatus): Promise<void> {
		this.stop();
		this.person = person;
		this.serverStatus = status;
		this.needsLogin = false;
		await setCurrentUser(person.userId);
		await this.reload();
		const kick = () => void this.sync();
		this.detach = onSyncChance(kick);
		await this.claimMerged();
		void this.sync();
	}

	stop(): void {
		this.detach?.();
		this.detach = null;
		clearTimeout(this.retryTimer);
	}

	/** Writes the action to the outbox first, then tries to send it. */
	async record(kind: OutboxEntry['kind'], at = new Date(), place?: OutboxEntry['place']): Promise<OutboxEntry> {
		if (this.person === null) throw new Error('SyncManager.record before start');
		const started = performance.now();
		const entry = await enqueue(this.person, kind, at, place);
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
		const all = this.person === null ? [] : await allEntries();
		this.entries = all.filter((e) => e.userId === this.person?.userId);
		this.others = all.filter((e) => e.userId !== this.person?.userId && isWaiting(e));
	}

	/** Entries queued under an account that was since merged into this one become this person's. */
	private async claimMerged(): Promise<void> {
		if (this.person === null || this.others.length === 0) return;
		const claimable = new Set(await claimableUserIds([...new Set(this.others.map((e) => e.userId))]));
		const ids = this.others.filter((e) => claimable.has(e.userId)).map((e) => e.id);
		if (ids.length === 0) return;
		await reassign(ids, this.person.userId, this.person.firstName);
		await this.reload();
	}

	private async run(): Promise<void> {
		clearTimeout(this.retryTimer);
		this.syncing = true;
		try {
			while (this.person !== null && this.waiting.length > 0) {
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
				for (const answer of result.reply.results) if (answer.id) this.answers[answer.id] = answer;
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
		this.others = [];
		this.answers = {};
		this.serverStatus = null;
		this.syncing = false;
		this.needsLogin = false;
		this.lastError = null;
		this.person = null;
		this.attempt = 0;
	}
}

export const syncManager = new SyncManager();
