/**
 * The `/rollcall` page's state: what IndexedDB holds, read again whenever
 * the sync loop says it changed, and the marshal's taps turned into outbox
 * actions. What to show comes from rollcall-rules.ts.
 */
import type { RollCallStatus } from '$lib/contracts/rollcall-protocol';
import { deviceId } from '../offline/outbox';
import { currentRollCall, elapsedText, isRefusedAction, isWaitingAction, lastEnded, listAge, newAction, refusalText, shownList, type Marshal } from './rollcall-rules';
import { allActions, dismissAction, loadSnapshot } from './rollcall-store';
import { rollCallSync } from './rollcall-sync';
import type { RollCallOutboxEntry, StoredSnapshot } from './rollcall-types';

export class RollCallPage {
	stored = $state<StoredSnapshot | null>(null);
	actions = $state<RollCallOutboxEntry[]>([]);
	/** False until IndexedDB has been read once: "no list yet" must not flash before the list. */
	loaded = $state(false);
	query = $state('');
	/** Ticks every second, for the time since the start. */
	now = $state(new Date());
	/** Moves only when the list is read again: the list of 500 people is not rebuilt every second. */
	listNow = $state(new Date());
	online = $state(true);
	/** Asking drill or real before starting. */
	choosingKind = $state(false);
	confirmingEnd = $state(false);
	/** The session ended: marks wait on the phone until the marshal logs in again. */
	needsLogin = $state(false);

	rollCall = $derived(currentRollCall(this.stored?.snapshot ?? null, this.actions));
	list = $derived(this.stored ? shownList(this.stored.snapshot, this.rollCall, this.actions, this.query, this.listNow) : null);
	age = $derived(this.stored ? listAge(this.stored.snapshot.takenAt, this.stored.snapshot.timeZone, this.now) : null);
	ended = $derived(lastEnded(this.stored?.snapshot ?? null, this.rollCall, this.now));
	elapsed = $derived(this.rollCall ? elapsedText(this.rollCall.startedAt, this.now) : null);
	refusals = $derived(this.actions.filter(isRefusedAction).map((entry) => ({ id: entry.id, text: refusalText(entry) })));
	waiting = $derived(this.actions.filter(isWaitingAction).length);

	private marshal: Marshal | null = null;

	/** Reads the stored list, follows the sync loop, ticks the clock; returns the clean-up. */
	open(firstName: string): () => void {
		this.online = navigator.onLine;
		const reload = () => void this.reload();
		const stopWatching = rollCallSync.onChange(reload);
		const tick = setInterval(() => (this.now = new Date()), 1_000);
		const onOnline = () => (this.online = true);
		const onOffline = () => (this.online = false);
		window.addEventListener('online', onOnline);
		window.addEventListener('offline', onOffline);
		void this.reload();
		void deviceId().then((id) => (this.marshal = { deviceId: id, firstName }));
		rollCallSync.start();
		return () => {
			stopWatching();
			clearInterval(tick);
			window.removeEventListener('online', onOnline);
			window.removeEventListener('offline', onOffline);
		};
	}

	async reload(): Promise<void> {
		const [stored, actions] = await Promise.all([loadSnapshot(), allActions()]);
		this.stored = stored;
		this.actions = actions;
		this.needsLogin = rollCallSync.needsLogin;
		this.now = this.listNow = new Date();
		this.loaded = true;
	}

	async start(drill: boolean): Promise<void> {
		this.choosingKind = false;
		await this.tap({ kind: 'rollcall-start', drill });
	}

	async mark(userId: number, status: RollCallStatus): Promise<void> {
		await this.tap({ kind: 'rollcall-mark', subjectId: userId, status });
	}

	async end(): Promise<void> {
		this.confirmingEnd = false;
		await this.tap({ kind: 'rollcall-end' });
	}

	async dismiss(id: string): Promise<void> {
		await dismissAction(id);
		await this.reload();
	}

	private async tap(tap: Parameters<typeof newAction>[0]): Promise<void> {
		const marshal = this.marshal ?? { deviceId: await deviceId(), firstName: 'you' };
		const entry = newAction(tap, this.rollCall?.id ?? null, marshal, new Date());
		await rollCallSync.record(entry);
		await this.reload();
	}
}
