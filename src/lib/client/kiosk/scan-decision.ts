/**
 * What a scan at the kiosk means, decided on the tablet with no network.
 *
 * 1. The QR text is read against this kiosk's origin (`readScannedCode`):
 *    only a badge of this building goes on; a presence code, another
 *    building's badge or any other QR is refused and nothing is recorded.
 * 2. The badge hash is looked up in the roster snapshot (live badges only, so
 *    a revoked badge is not found either).
 * 3. The same person scanned again within REPEAT_SCAN_MS: the last result is
 *    shown again and nothing is recorded (a badge held up twice must not
 *    sign someone in and straight out).
 * 4. Otherwise the direction is the person's state in the roster with this
 *    kiosk's own scans that the roster does not reflect yet folded over it,
 *    through the same fold the server runs (attendance-fold): a sign-in if
 *    that leaves them out at this moment, a sign-out if it leaves them in.
 */
import { fold, isCurrent, type Fact, type FoldRecord, type FoldRules } from '$lib/contracts/attendance-fold';
import { REPEAT_SCAN_MS, type RosterPerson, type ScannedCode } from '$lib/contracts/kiosk-protocol';
import { isRefusedScan, reflectedBy } from './kiosk-outbox-rules';
import type { KioskOutboxEntry } from './kiosk-types';
import type { RosterIndex } from './roster-index';

export type Direction = 'sign-in' | 'sign-out';

/** Why a scan records nothing. */
export type ScanRefusal =
	/** Not a QR of this register at all. */
	| 'not-a-badge'
	/** A badge URL of another origin. */
	| 'foreign-badge'
	/** A badge of this building the roster does not know (unknown, or revoked). */
	| 'badge-unknown'
	/** A presence code: it is for phones, not for this camera. */
	| 'presence-code'
	/** The kiosk has no roster yet (never online since pairing). */
	| 'no-roster';

export type ScanDecision =
	| { kind: 'record'; person: RosterPerson; direction: Direction }
	/** The same person within the repeat window: show `previous` again, record nothing. */
	| { kind: 'repeat'; person: RosterPerson; previous: KioskOutboxEntry }
	| { kind: 'refused'; reason: ScanRefusal };

export interface RosterView {
	index: RosterIndex;
	/** Tablet time (epoch ms) the roster was asked for: confirmed scans from before it are in it. */
	requestedAt: number;
}

/** A refusal for codes that are not a badge of this building; null for a badge. */
export function refusalOf(code: ScannedCode): ScanRefusal | null {
	switch (code.kind) {
		case 'badge':
			return null;
		case 'presence':
			return 'presence-code';
		case 'foreign-badge':
			return 'foreign-badge';
		default:
			return 'not-a-badge';
	}
}

/** Decides a badge scan. `hash` is `badgeHash(code.secret)` for a badge, computed by the caller (it is async). */
export function decideBadgeScan(code: ScannedCode, hash: string | null, roster: RosterView | null, entries: readonly KioskOutboxEntry[], now: number, rules: FoldRules): ScanDecision {
	const refusal = refusalOf(code);
	if (refusal) return { kind: 'refused', reason: refusal };
	if (!roster) return { kind: 'refused', reason: 'no-roster' };
	const person = hash === null ? undefined : roster.index.byBadge.get(hash);
	if (!person) return { kind: 'refused', reason: 'badge-unknown' };
	return decideFor(person, roster, entries, now, rules);
}

/** Decides for a person picked by name ("Type your name"). */
export function decideNamedScan(userId: number, roster: RosterView | null, entries: readonly KioskOutboxEntry[], now: number, rules: FoldRules): ScanDecision {
	if (!roster) return { kind: 'refused', reason: 'no-roster' };
	const person = roster.index.byUser.get(userId);
	if (!person) return { kind: 'refused', reason: 'badge-unknown' };
	return decideFor(person, roster, entries, now, rules);
}

function decideFor(person: RosterPerson, roster: RosterView, entries: readonly KioskOutboxEntry[], now: number, rules: FoldRules): ScanDecision {
	const theirs = entries.filter((entry) => entry.userId === person.userId && !isRefusedScan(entry));
	const previous = lastOf(theirs);
	if (previous && isRepeat(previous, now)) return { kind: 'repeat', person, previous };
	const unreflected = theirs.filter((entry) => !reflectedBy(entry, roster.requestedAt));
	return { kind: 'record', person, direction: signedInNow(person, unreflected, now, rules) ? 'sign-out' : 'sign-in' };
}

const lastOf = (entries: readonly KioskOutboxEntry[]) => entries.reduce<KioskOutboxEntry | undefined>((last, e) => (!last || e.seq > last.seq ? e : last), undefined);

/** Within the repeat window of the previous scan; either side, so a tablet clock nudged back a little still counts, and one set back hours does not block the person. */
export function isRepeat(previous: KioskOutboxEntry, now: number): boolean {
	return Math.abs(now - Date.parse(previous.clientAt)) < REPEAT_SCAN_MS;
}

/** Whether the person is in at `now`: the roster's open record with the kiosk's unreflected scans folded over it. */
export function signedInNow(person: RosterPerson, unreflected: readonly KioskOutboxEntry[], now: number, rules: FoldRules): boolean {
	const since = person.signedIn && person.since ? Date.parse(person.since) : null;
	const open: FoldRecord[] =
		since === null ? [] : [{ recordId: 0, date: rules.dateOf(since), signInAt: since, signOutAt: null, signInFactId: null, signOutFactId: null }];
	const facts: Fact[] = unreflected.map((entry, arrival) => ({
		id: entry.id,
		kind: entry.direction,
		at: Date.parse(entry.clientAt),
		deviceId: entry.deviceId,
		seq: entry.seq,
		arrival,
	}));
	const { records } = fold(facts, open, rules);
	return records.some((record) => record.signOutAt === null && isCurrent(record, now, rules));
}
