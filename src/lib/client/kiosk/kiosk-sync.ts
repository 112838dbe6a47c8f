/**
 * The kiosk's link to the register: it sends waiting scans through
 * `sync.push` (batches, on start, on `online`, on becoming visible, after
 * each scan, and with exponential backoff and jitter while failing) and
 * refreshes the roster every ROSTER_REFRESH_MS while online. It asks every
 * few seconds whether a fire roll call is open, and sends the marks of
 * people who marked themselves safe here. A lost cookie is
 * restored once from the credential in IndexedDB (`kiosk.resume`); a
 * `kiosk-revoked` answer from either call stops the kiosk.
 */
import { ROSTER_REFRESH_MS, type KioskRollCall } from '$lib/contracts/kiosk-protocol';
import { backoffDelay } from '../offline/sync-manager.svelte';
import { fetchRollCall, fetchRoster, pushScans, resumeKiosk, type KioskReply } from './kiosk-api';
import { loadMarks, settleMarks, toPushAction as toRollCallAction } from './evacuation';
import { isWaitingScan, toPushAction } from './kiosk-outbox-rules';
import { allScans, saveRollCall, saveRoster, settleScans } from './kiosk-store';

/** How often the tablet asks whether a fire roll call has started: the evacuation screen must not wait for the roster. */
const ROLL_CALL_POLL_MS = 5_000;

export interface KioskSyncEvents {
	/** The outbox or the roster changed in IndexedDB: read them again. */
	changed(): Promise<void>;
	/** The register says this kiosk was revoked. */
	revoked(): Promise<void>;
	/** The register does not know this kiosk's credential at all. */
	unpaired(): Promise<void>;
}

export class KioskSync {
	lastError: string | null = null;
	private attempt = 0;
	private retryTimer: ReturnType<typeof setTimeout> | undefined;
	private rosterTimer: ReturnType<typeof setInterval> | undefined;
	private rollCallTimer: ReturnType<typeof setInterval> | undefined;
	private running: Promise<void> | null = null;
	private detach: (() => void) | null = null;
	private stopped = true;

	constructor(
		private credential: string,
		private events: KioskSyncEvents,
	) {}

	start(): void {
		this.stop();
		this.stopped = false;
		const kick = () => void this.sync().then(() => this.refreshRoster());
		const onVisible = () => document.visibilityState === 'visible' && kick();
		window.addEventListener('online', kick);
		document.addEventListener('visibilitychange', onVisible);
		this.rosterTimer = setInterval(() => void this.refreshRoster(), ROSTER_REFRESH_MS);
		this.rollCallTimer = setInterval(() => void this.refreshRollCall(), ROLL_CALL_POLL_MS);
		this.detach = () => {
			window.removeEventListener('online', kick);
			document.removeEventListener('visibilitychange', onVisible);
		};
		kick();
	}

	stop(): void {
		this.stopped = true;
		this.detach?.();
		this.detach = null;
		clearTimeout(this.retryTimer);
		clearInterval(this.rosterTimer);
		clearInterval(this.rollCallTimer);
	}

	/** Asks whether a roll call is open and keeps the answer; offline, the last answer stays. */
	async refreshRollCall(): Promise<void> {
		if (this.stopped) return;
		const reply = await this.withCredential(() => fetchRollCall());
		if (reply.kind !== 'ok') return void (await this.otherwise(reply));
		await this.keepRollCall(reply.data);
		await this.events.changed();
	}

	/** Sends everything waiting; concurrent calls share one run. */
	sync(): Promise<void> {
		this.running ??= this.run().finally(() => {
			this.running = null;
		});
		return this.running;
	}

	/** Asks for today's roster and keeps it; offline, the stored one stays. */
	async refreshRoster(): Promise<void> {
		if (this.stopped) return;
		const requestedAt = Date.now();
		const waiting = (await allScans()).filter(isWaitingScan).length;
		const reply = await this.withCredential(() => fetchRoster(waiting));
		if (reply.kind !== 'ok') return void (await this.otherwise(reply));
		await saveRoster({ roster: reply.data, requestedAt });
		if (reply.data.rollCall !== undefined) await this.keepRollCall(reply.data.rollCall);
		await this.events.changed();
	}

	private async run(): Promise<void> {
		clearTimeout(this.retryTimer);
		if (!(await this.sendMarks())) return;
		while (!this.stopped) {
			const waiting = (await allScans()).filter(isWaitingScan);
			if (waiting.length === 0) return;
			const reply = await this.withCredential(() => pushScans(waiting.map(toPushAction)));
			if (reply.kind !== 'ok') {
				if (reply.kind === 'retry' || reply.kind === 'refused') this.scheduleRetry(reply.kind === 'retry' ? reply.error : reply.message);
				return void (await this.otherwise(reply));
			}
			await settleScans(reply.data.results);
			this.attempt = 0;
			this.lastError = null;
			await this.events.changed();
			if (reply.data.results.some((result) => result.reason === 'kiosk-revoked')) return void (await this.events.revoked());
			const left = (await allScans()).filter(isWaitingScan).length;
			if (left >= waiting.length) return; // the server answered nothing new: do not spin
		}
	}

	/** Keeps the register's answer, unless a roll call started here has not reached it yet (then the register cannot know of it). */
	private async keepRollCall(rollCall: KioskRollCall | null): Promise<void> {
		if (rollCall === null && (await loadMarks()).some((action) => action.kind === 'rollcall-start')) return;
		await saveRollCall(rollCall);
	}

	/** Sends the evacuation marks waiting on the tablet (they stay until answered); false when the register could not be reached. */
	private async sendMarks(): Promise<boolean> {
		const marks = await loadMarks();
		if (marks.length === 0 || this.stopped) return !this.stopped;
		const reply = await this.withCredential(() => pushScans(marks.map(toRollCallAction)));
		if (reply.kind !== 'ok') {
			if (reply.kind === 'retry' || reply.kind === 'refused') this.scheduleRetry(reply.kind === 'retry' ? reply.error : reply.message);
			await this.otherwise(reply);
			return false;
		}
		await settleMarks(reply.data.results);
		await this.events.changed();
		return true;
	}

	/** Calls `request`; when the cookie is missing, restores it once from the stored credential and asks again. */
	private async withCredential<T>(request: () => Promise<KioskReply<T>>): Promise<KioskReply<T>> {
		const first = await request();
		if (first.kind !== 'unpaired') return first;
		const resumed = await resumeKiosk(this.credential);
		if (resumed.kind === 'ok') return request();
		return resumed.kind === 'refused' ? { kind: 'unpaired' } : (resumed as KioskReply<T>);
	}

	private async otherwise(reply: Exclude<KioskReply<unknown>, { kind: 'ok' }>): Promise<void> {
		if (reply.kind === 'revoked') await this.events.revoked();
		else if (reply.kind === 'unpaired') await this.events.unpaired();
		else this.lastError = reply.kind === 'retry' ? reply.error : reply.message;
	}

	private scheduleRetry(error: string): void {
		this.lastError = error;
		if (this.stopped) return;
		this.retryTimer = setTimeout(() => void this.sync(), backoffDelay(this.attempt));
		this.attempt += 1;
	}
}
