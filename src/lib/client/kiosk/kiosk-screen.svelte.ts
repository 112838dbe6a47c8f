/**
 * The reception kiosk's state (issue 9): what the screen shows and what a
 * scan or a picked name does. The page renders this and hands it camera
 * sightings; the rules are in scan-decision.ts, the storage in
 * kiosk-store.ts, the network in kiosk-sync.ts.
 *
 * A scan goes: QR text → what kind of code (readScannedCode) → badge hash →
 * roster lookup and direction (scan-decision) → outbox write → result on
 * screen and a beep → back to idle after a few seconds; the push to the
 * register follows in the background. User-timing marks (`kiosk-scan`,
 * `kiosk-decode`, `kiosk-outbox-write`) let `npm run bench` read each step.
 */
import { tick } from 'svelte';
import type { FoldRules } from '$lib/contracts/attendance-fold';
import { localDateIn } from '$lib/contracts/building-time';
import { badgeHash, readScannedCode, type KioskPairing, type KioskRollCall, type RosterPerson } from '$lib/contracts/kiosk-protocol';
import { HeldCodeFilter } from './held-code';
import { refusedLine, refusalMessages, resultLine, safeLine, waitingLine } from './kiosk-messages';
import { isRefusedScan, isWaitingScan, kioskDeviceId } from './kiosk-outbox-rules';
import { playSound } from './kiosk-sound';
import { allScans, enqueueScan, loadPairing, loadRevoked, loadRollCall, loadRoster, refuseWaiting, saveRevoked, saveRollCall } from './kiosk-store';
import { addMark, loadMarks, markedHere, safeMark, startAction, type EvacuationAction } from './evacuation';
import { KioskSync } from './kiosk-sync';
import type { KioskOutboxEntry, StoredRoster } from './kiosk-types';
import { indexRoster } from './roster-index';
import { decideBadgeScan, decideNamedScan, type Direction, type ScanDecision } from './scan-decision';
import type { Sighting } from './scanner';

/** How long a result stays on screen before the kiosk is idle again. */
export const RESULT_SHOWN_MS = 4_000;
export const REFUSAL_SHOWN_MS = 5_000;
/** DESIGN §3: a sign-out closes a record at most this long after it began, across midnight. */
const DEFAULT_MAX_SHIFT_MS = 16 * 3_600_000;

export type Shown =
	| { kind: 'result'; firstName: string; line: string; direction: Direction; repeat: boolean }
	| { kind: 'safe'; firstName: string; line: string }
	| { kind: 'refused'; message: string };

/** Asks the service worker to keep the kiosk's pages and decoder (phones do not precache them). */
function keepKioskOffline(): void {
	void navigator.serviceWorker?.ready.then((registration) => registration.active?.postMessage({ type: 'kiosk-precache' })).catch(() => undefined);
}

export type KioskPhase = 'loading' | 'unpaired' | 'ready' | 'revoked';

export class KioskScreen {
	phase = $state<KioskPhase>('loading');
	pairing = $state.raw<KioskPairing | null>(null);
	roster = $state.raw<StoredRoster | null>(null);
	entries = $state.raw<KioskOutboxEntry[]>([]);
	/** The open fire roll call: while there is one, a scan or a picked name marks the person safe. */
	rollCall = $state.raw<KioskRollCall | null>(null);
	evacuationMarks = $state.raw<EvacuationAction[]>([]);
	shown = $state.raw<Shown | null>(null);
	now = $state(new Date());
	online = $state(true);

	index = $derived(this.roster ? indexRoster(this.roster.roster) : null);
	refused = $derived(this.entries.filter(isRefusedScan).length);
	waitingText = $derived(
		waitingLine(
			this.entries.filter(isWaitingScan).length + this.evacuationMarks.filter((a) => a.kind === 'rollcall-mark').length,
			this.evacuationMarks.filter((a) => a.kind === 'rollcall-start').length,
		),
	);
	refusedText = $derived(refusedLine(this.refused));
	buildingName = $derived(this.roster?.roster.buildingName ?? '');
	locationName = $derived(this.roster?.roster.location?.name ?? this.pairing?.location?.name ?? null);

	/** The building's rules as the last roster stated them; before any roster, the tablet's own zone (it stands in the building). */
	timeZone = $derived(this.roster?.roster.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
	private rules: FoldRules = $derived({
		maxShiftMs: this.roster?.roster.maxShiftMs ?? DEFAULT_MAX_SHIFT_MS,
		dateOf: (at: number) => localDateIn(this.timeZone, new Date(at)),
	});
	private origin = '';
	private sync: KioskSync | null = null;
	private held = new HeldCodeFilter();
	private idleTimer: ReturnType<typeof setTimeout> | undefined;
	private clock: ReturnType<typeof setInterval> | undefined;
	private detach: (() => void) | null = null;

	/** Loads the pairing, roster and outbox from IndexedDB and starts syncing. */
	async start(origin: string, options: { sync?: boolean } = {}): Promise<KioskPhase> {
		this.origin = origin;
		this.pairing = await loadPairing();
		if (!this.pairing) return (this.phase = 'unpaired');
		await this.reload();
		this.startClock();
		if (await loadRevoked()) return (this.phase = 'revoked');
		this.phase = 'ready';
		keepKioskOffline();
		if (options.sync !== false) {
			this.sync = new KioskSync(this.pairing.credential, {
				changed: () => this.reload(),
				revoked: () => this.revoke(),
				unpaired: () => this.revoke(),
			});
			this.sync.start();
		}
		return this.phase;
	}

	stop(): void {
		this.sync?.stop();
		this.detach?.();
		clearInterval(this.clock);
		clearTimeout(this.idleTimer);
	}

	/** A code the camera read. Held codes (the same badge still in front of the camera) are ignored. */
	async sighted(sighting: Sighting): Promise<void> {
		if (this.phase !== 'ready' || !this.held.isNew(sighting.text, sighting.frameAt)) return;
		performance.measure('kiosk-decode', { start: sighting.frameAt, duration: sighting.decodeMs });
		const code = readScannedCode(sighting.text, this.origin);
		const hash = code.kind === 'badge' ? await badgeHash(code.secret) : null;
		const at = new Date();
		if (this.rollCall) {
			const person = hash ? this.index?.byBadge.get(hash.toLowerCase()) : undefined;
			if (person) await this.markSafe(person, at);
			else this.show({ kind: 'refused', message: code.kind === 'badge' ? refusalMessages['badge-unknown'] : refusalMessages['not-a-badge'] }, 'refused');
			return;
		}
		const decision = decideBadgeScan(code, hash, this.rosterView(), this.entries, at.getTime(), this.rules);
		await this.carryOut(decision, at, hash ? { badgeHash: hash } : null);
		await tick(); // the result is on screen: where scan-to-confirmation ends
		performance.measure('kiosk-scan', { start: sighting.frameAt });
	}

	/** "Type your name": the person picked their own name from today's list. */
	async picked(userId: number): Promise<void> {
		if (this.phase !== 'ready') return;
		const at = new Date();
		const person = this.index?.byUser.get(userId);
		if (this.rollCall && person) return this.markSafe(person, at);
		await this.carryOut(decideNamedScan(userId, this.rosterView(), this.entries, at.getTime(), this.rules), at, { userId });
	}

	/** The result card's "OK": back to idle at once. */
	dismiss(): void {
		clearTimeout(this.idleTimer);
		this.shown = null;
	}

	private async carryOut(decision: ScanDecision, at: Date, subject: KioskOutboxEntry['subject'] | null): Promise<void> {
		if (decision.kind === 'refused') return this.show({ kind: 'refused', message: refusalMessages[decision.reason] }, 'refused');
		if (decision.kind === 'repeat') {
			const { previous } = decision;
			return this.show(this.resultOf(decision.person, previous.direction, new Date(previous.clientAt), true), null);
		}
		const started = performance.now();
		const entry = await enqueueScan({
			kind: 'kiosk-scan',
			clientAt: at.toISOString(),
			deviceId: kioskDeviceId(this.pairing!.kiosk.id),
			direction: decision.direction,
			subject: subject ?? { userId: decision.person.userId },
			userId: decision.person.userId,
			firstName: decision.person.firstName,
		});
		performance.measure('kiosk-outbox-write', { start: started });
		this.entries = [...this.entries, entry];
		this.show(this.resultOf(decision.person, decision.direction, at, false), decision.direction);
		void this.sync?.sync();
	}

	/** The fire alarm: starts a roll call from this kiosk, at once on screen, offline too. */
	async startRollCall(drill: boolean): Promise<void> {
		if (this.phase !== 'ready' || this.rollCall) return;
		const at = new Date();
		const start = startAction(drill, kioskDeviceId(this.pairing!.kiosk.id), at);
		this.evacuationMarks = await addMark(start);
		this.rollCall = { id: start.rollCallId, drill, startedAt: at.toISOString() };
		await saveRollCall(this.rollCall);
		void this.sync?.sync();
	}

	/** During a roll call: the person is out and safe; kept on the tablet until the register has it. */
	private async markSafe(person: RosterPerson, at: Date): Promise<void> {
		const rollCall = this.rollCall!;
		if (!markedHere(this.evacuationMarks, rollCall.id).has(person.userId)) {
			this.evacuationMarks = await addMark(safeMark(rollCall, person, kioskDeviceId(this.pairing!.kiosk.id), at));
			void this.sync?.sync();
		}
		this.show({ kind: 'safe', firstName: person.firstName, line: safeLine(at, this.timeZone) }, 'sign-out');
	}

	private resultOf(person: RosterPerson, direction: Direction, at: Date, repeat: boolean): Shown {
		return { kind: 'result', firstName: person.firstName, line: resultLine(direction, at, this.timeZone), direction, repeat };
	}

	private show(shown: Shown, sound: Direction | 'refused' | null): void {
		this.shown = shown;
		if (sound) playSound(sound);
		clearTimeout(this.idleTimer);
		this.idleTimer = setTimeout(() => (this.shown = null), shown.kind === 'refused' ? REFUSAL_SHOWN_MS : RESULT_SHOWN_MS);
	}

	private rosterView() {
		return this.roster && this.index ? { index: this.index, requestedAt: this.roster.requestedAt } : null;
	}

	private async reload(): Promise<void> {
		const [roster, entries, rollCall, marks] = await Promise.all([loadRoster(), allScans(), loadRollCall(), loadMarks()]);
		this.roster = roster;
		this.entries = entries;
		this.rollCall = rollCall;
		this.evacuationMarks = marks;
	}

	/** The register refused this kiosk: stop, and keep the scans it will not take, counted as refused. */
	private async revoke(): Promise<void> {
		this.sync?.stop();
		this.dismiss();
		await saveRevoked();
		await refuseWaiting('kiosk-revoked');
		await this.reload();
		this.phase = 'revoked';
	}

	private startClock(): void {
		clearInterval(this.clock);
		this.clock = setInterval(() => (this.now = new Date()), 1_000);
		const onNetwork = () => (this.online = navigator.onLine);
		onNetwork();
		window.addEventListener('online', onNetwork);
		window.addEventListener('offline', onNetwork);
		this.detach = () => {
			window.removeEventListener('online', onNetwork);
			window.removeEventListener('offline', onNetwork);
		};
	}
}
