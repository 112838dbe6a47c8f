/**
 * The staff page's state: the status it shows, what a tap records and what
 * the person is told. The page renders this and calls `tap()`; every rule
 * lives in staff-status.ts.
 */
import type { AttendanceKind } from '$lib/contracts/attendance-messages';
import type { SyncStatus } from '$lib/contracts/sync-protocol';
import type { PlaceClaim } from '$lib/contracts/kiosk-protocol';
import { syncManager, type Person } from '../offline/sync-manager.svelte';
import { actionFor, answeredNotice, othersWaitingNotices, shownStatus, tapNotice, waitingNotice, type BuildingRules, type Notice } from './staff-status';

/** How often the page re-reads the clock, so a new day or a shift's end shows without a tap. */
const TICK_MS = 30_000;

export class StaffPage {
	/** Until the outbox is open (no JavaScript yet, or none at all) the form posts to the server. */
	ready = $state(false);
	busy = $state(false);
	now = $state(new Date());
	/** The last tap of this page's life, whose fate the notice tells (updated when a later sync answers it). */
	private lastTap = $state<{ id: string; kind: AttendanceKind } | null>(null);

	private rules: BuildingRules = { timeZone: 'UTC', maxShiftMs: 16 * 3_600_000 };
	private fallback: SyncStatus = { date: '', signedIn: false, since: null, sinceTime: null };
	private timer: ReturnType<typeof setInterval> | undefined;

	status = $derived(
		shownStatus(syncManager.serverStatus ?? this.fallback, this.ready ? syncManager.waiting : [], this.now, this.rules),
	);
	waiting = $derived(waitingNotice(syncManager.waiting, this.rules.timeZone, this.now));
	answered = $derived(syncManager.answered.map((entry) => ({ id: entry.id, text: answeredNotice(entry, this.rules.timeZone, this.now) })));
	othersWaiting = $derived(othersWaitingNotices(syncManager.others));
	notice: Notice | null = $derived(
		this.lastTap && !this.busy ? tapNotice(this.lastTap.kind, syncManager.answers[this.lastTap.id], this.rules.timeZone, this.now) : null,
	);

	async start(person: Person, status: SyncStatus, rules: BuildingRules): Promise<void> {
		this.rules = rules;
		this.fallback = status;
		this.tick();
		clearInterval(this.timer);
		this.timer = setInterval(() => this.tick(), TICK_MS);
		await syncManager.start(person, status);
		this.ready = true;
	}

	stop(): void {
		clearInterval(this.timer);
		syncManager.stop();
	}

	tick(): void {
		this.now = new Date();
	}

	/** A fresh render from the server is the new base. */
	serverSaid(status: SyncStatus): void {
		this.fallback = status;
		if (this.ready) syncManager.serverStatus = status;
	}

	/** Records what a tap means now, through the outbox, and says what became of it. */
	async tap(place?: PlaceClaim): Promise<void> {
		this.tick();
		const kind = actionFor(this.status);
		this.busy = true;
		try {
			const entry = await syncManager.record(kind, this.now, place);
			this.lastTap = { id: entry.id, kind };
			await syncManager.sync();
			const answer = syncManager.answers[entry.id];
			// Said here already: it need not wait in the list of answers too.
			if (answer && answer.outcome !== 'applied' && answer.outcome !== 'duplicate') await syncManager.dismiss(entry.id);
		} finally {
			this.busy = false;
		}
	}

	dismiss(id: string): Promise<void> {
		return syncManager.dismiss(id);
	}
}
