/**
 * The roll call's link to the register, on every page of a marshal's or
 * admin's app: it sends waiting roll call actions through `sync.push` and
 * refreshes the evacuation snapshot, every second while a roll call is open and
 * the phone is online, every minute otherwise, and at once on `online`, on
 * becoming visible and after each tap. The snapshot is stored, so `/rollcall`
 * opened with no network shows the last list instantly. Where the browser
 * has Background Sync, the service worker sends what still waits once the
 * network is back, even with the app closed.
 */
import { backoffDelay } from '../offline/sync-manager.svelte';
import { BACKGROUND_SYNC_TAG } from '../offline/push';
import { fetchSnapshot, pushActions } from './rollcall-api';
import { currentRollCall, isWaitingAction, refreshDelay, toPushAction } from './rollcall-rules';
import { allActions, enqueueAction, loadSnapshot, saveSnapshot, settleActions } from './rollcall-store';
import type { RollCallOutboxEntry } from './rollcall-types';
import { onSyncChance } from '../offline/sync-chances';

export class RollCallSync {
	lastError: string | null = null;
	needsLogin = false;
	private listeners = new Set<() => void>();
	private timer: ReturnType<typeof setTimeout> | undefined;
	private running: Promise<void> | null = null;
	private again = false;
	private attempt = 0;
	private detach: (() => void) | null = null;

	get started(): boolean {
		return this.detach !== null;
	}

	/** Starts the loop once per page load; later calls only ask for a round now. */
	start(): void {
		if (this.started) return void this.kick();
		const kick = () => void this.kick();
		this.detach = onSyncChance(kick);
		// The page too must open offline: the service worker keeps it for a marshal.
		void navigator.serviceWorker?.ready.then((registration) => registration.active?.postMessage({ type: 'rollcall-precache' })).catch(() => undefined);
		kick();
	}

	stop(): void {
		this.detach?.();
		this.detach = null;
		clearTimeout(this.timer);
	}

	/** Calls `listener` whenever the stored snapshot or actions change; returns a function that stops it. */
	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Writes the tap to the outbox first (so it survives anything), then tries to send it. */
	async record(entry: RollCallOutboxEntry): Promise<void> {
		await enqueueAction(entry);
		this.changed();
		void this.kick();
	}

	/** One round now: send, then refresh. Concurrent calls share one run, followed by one more if asked meanwhile. */
	kick(): Promise<void> {
		if (this.running) {
			this.again = true;
			return this.running;
		}
		this.running = this.round().finally(() => {
			this.running = null;
			if (this.again) {
				this.again = false;
				void this.kick();
			}
		});
		return this.running;
	}

	private changed(): void {
		for (const listener of this.listeners) listener();
	}

	private async round(): Promise<void> {
		clearTimeout(this.timer);
		const pushed = await this.push();
		await this.refresh();
		if (!this.started) return;
		const [stored, actions] = await Promise.all([loadSnapshot(), allActions()]);
		const open = currentRollCall(stored?.snapshot ?? null, actions) !== null;
		let delay = refreshDelay(open, navigator.onLine);
		// Waiting actions that could not go are tried again sooner, with backoff, whatever the refresh pace;
		// the service worker is asked too, so they go even if the app is closed before the network returns.
		if (!pushed && actions.some(isWaitingAction)) {
			delay = Math.min(delay, 1_000 + backoffDelay(this.attempt++));
			void navigator.serviceWorker?.ready
				.then((registration) => (registration as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }).sync?.register(BACKGROUND_SYNC_TAG))
				.catch(() => undefined);
		}
		this.timer = setTimeout(() => void this.kick(), delay);
	}

	/** Sends what waits; false when something could not go. */
	private async push(): Promise<boolean> {
		for (;;) {
			const waiting = (await allActions()).filter(isWaitingAction);
			if (waiting.length === 0) return true;
			const reply = await pushActions(waiting.map(toPushAction));
			if (reply.kind !== 'ok') {
				this.needsLogin = reply.kind === 'login';
				this.lastError = reply.kind === 'retry' ? reply.error : 'Please log in again to send the roll call.';
				this.changed();
				return false;
			}
			await settleActions(reply.data.results);
			this.attempt = 0;
			this.lastError = null;
			this.needsLogin = false;
			this.changed();
			const left = (await allActions()).filter(isWaitingAction).length;
			if (left >= waiting.length) return true; // the server answered nothing new: do not spin
		}
	}

	/** Asks for the list and keeps it; offline, the stored one stays. */
	private async refresh(): Promise<void> {
		const requestedAt = Date.now();
		const reply = await fetchSnapshot();
		if (reply.kind !== 'ok') {
			if (reply.kind === 'login') this.needsLogin = true;
			return;
		}
		await saveSnapshot({ snapshot: reply.data, requestedAt });
		this.changed();
	}
}

export const rollCallSync = new RollCallSync();
