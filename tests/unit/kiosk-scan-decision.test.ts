import { describe, expect, it } from 'vitest';
import type { FoldRules } from '../../src/lib/contracts/attendance-fold';
import { localDateIn } from '../../src/lib/contracts/building-time';
import { readScannedCode, REPEAT_SCAN_MS, type KioskRoster, type RosterPerson } from '../../src/lib/contracts/kiosk-protocol';
import { decideBadgeScan, decideNamedScan, type RosterView } from '../../src/lib/client/kiosk/scan-decision';
import { indexRoster } from '../../src/lib/client/kiosk/roster-index';
import type { KioskOutboxEntry } from '../../src/lib/client/kiosk/kiosk-types';

const origin = 'https://register.example.com';
const secret = 'A'.repeat(43);
const hash = 'ab'.repeat(32);
const rules: FoldRules = { maxShiftMs: 16 * 3_600_000, dateOf: (at) => localDateIn('Europe/London', new Date(at)) };
const at = (hhmm: string, day = '2026-11-24') => Date.parse(`${day}T${hhmm}:00Z`);
const ROSTER_AT = at('08:00');

function person(overrides: Partial<RosterPerson> = {}): RosterPerson {
	return { userId: 7, firstName: 'Ada', lastName: 'Lovelace', badgeHashes: [hash], signedIn: false, since: null, ...overrides };
}

function view(people: RosterPerson[], requestedAt = ROSTER_AT): RosterView {
	const roster: KioskRoster = {
		kiosk: { id: 3, name: 'Front desk' },
		location: { slug: 'reception', name: 'Reception' },
		buildingName: 'HQ',
		date: '2026-11-24',
		generatedAt: new Date(requestedAt).toISOString(),
		people,
	};
	return { index: indexRoster(roster), requestedAt };
}

let seq = 0;
function scan(direction: 'sign-in' | 'sign-out', when: number, extra: Partial<KioskOutboxEntry> = {}): KioskOutboxEntry {
	seq += 1;
	return {
		id: `scan-${seq}`,
		kind: 'kiosk-scan',
		clientAt: new Date(when).toISOString(),
		deviceId: 'kiosk-3',
		seq,
		direction,
		subject: { badgeHash: hash },
		userId: 7,
		firstName: 'Ada',
		...extra,
	};
}

const badge = readScannedCode(`${origin}/b/${secret}`, origin);

describe('what a badge scan at the kiosk means', () => {
	it('should sign in a person the roster has as out', () => {
		const decision = decideBadgeScan(badge, hash, view([person()]), [], at('09:02'), rules);
		expect(decision).toMatchObject({ kind: 'record', direction: 'sign-in', person: { firstName: 'Ada' } });
	});

	it('should sign out a person the roster has as in since this morning', () => {
		const decision = decideBadgeScan(badge, hash, view([person({ signedIn: true, since: new Date(at('07:30')).toISOString() })]), [], at('17:31'), rules);
		expect(decision).toMatchObject({ kind: 'record', direction: 'sign-out' });
	});

	it("should fold this kiosk's waiting scans over the roster, so offline scans alternate", () => {
		const waiting = [scan('sign-in', at('09:00')), scan('sign-out', at('12:00')), scan('sign-in', at('13:00'))];
		const decision = decideBadgeScan(badge, hash, view([person()]), waiting, at('17:00'), rules);
		expect(decision).toMatchObject({ kind: 'record', direction: 'sign-out' });
	});

	it('should count a confirmed scan the roster does not show yet', () => {
		const confirmedAfterRoster = scan('sign-in', at('09:00'), { confirmedAt: at('09:00') + 500 });
		const decision = decideBadgeScan(badge, hash, view([person()], ROSTER_AT), [confirmedAfterRoster], at('12:00'), rules);
		expect(decision).toMatchObject({ kind: 'record', direction: 'sign-out' });
	});

	it('should not count twice a confirmed scan a later roster already reflects', () => {
		const reflected = scan('sign-in', at('09:00'), { confirmedAt: at('09:00') + 500 });
		const fresh = view([person({ signedIn: true, since: new Date(at('09:00')).toISOString() })], at('09:30'));
		expect(decideBadgeScan(badge, hash, fresh, [reflected], at('12:00'), rules)).toMatchObject({ direction: 'sign-out' });
	});

	it("should sign in again the next day someone who never signed out yesterday", () => {
		const yesterday = view([person({ signedIn: true, since: new Date(at('08:00', '2026-11-23')).toISOString() })]);
		expect(decideBadgeScan(badge, hash, yesterday, [], at('09:00'), rules)).toMatchObject({ direction: 'sign-in' });
	});

	it('should ignore scans the register refused when deciding the direction', () => {
		const refused = scan('sign-in', at('09:00'), { rejectedReason: 'badge-revoked' });
		expect(decideBadgeScan(badge, hash, view([person()]), [refused], at('09:10'), rules)).toMatchObject({ kind: 'record', direction: 'sign-in' });
	});
});

describe('the same badge again within the repeat window', () => {
	it('should show the last result again and record nothing', () => {
		const first = scan('sign-in', at('09:02'));
		const decision = decideBadgeScan(badge, hash, view([person()]), [first], at('09:02') + REPEAT_SCAN_MS - 1, rules);
		expect(decision).toEqual({ kind: 'repeat', person: expect.objectContaining({ userId: 7 }), previous: first });
	});

	it('should record again once the window has passed', () => {
		const first = scan('sign-in', at('09:02'));
		const decision = decideBadgeScan(badge, hash, view([person()]), [first], at('09:02') + REPEAT_SCAN_MS, rules);
		expect(decision).toMatchObject({ kind: 'record', direction: 'sign-out' });
	});

	it('should apply to the person, whether they scanned or typed their name', () => {
		const typed = scan('sign-in', at('09:02'), { subject: { userId: 7 } });
		expect(decideBadgeScan(badge, hash, view([person()]), [typed], at('09:02') + 5_000, rules).kind).toBe('repeat');
		expect(decideNamedScan(7, view([person()]), [typed], at('09:02') + 5_000, rules).kind).toBe('repeat');
	});

	it("should not stop a person's scans for hours when the tablet's clock was set back", () => {
		const fromTheFuture = scan('sign-in', at('11:00'));
		expect(decideBadgeScan(badge, hash, view([person()]), [fromTheFuture], at('09:00'), rules).kind).toBe('record');
	});

	it("should not treat another person's recent scan as a repeat", () => {
		const bob = person({ userId: 8, firstName: 'Bob', badgeHashes: ['cd'.repeat(32)] });
		const adaJustNow = scan('sign-in', at('09:02'));
		const decision = decideBadgeScan(readScannedCode(`${origin}/b/${'B'.repeat(43)}`, origin), 'cd'.repeat(32), view([person(), bob]), [adaJustNow], at('09:02') + 1_000, rules);
		expect(decision).toMatchObject({ kind: 'record', person: { firstName: 'Bob' }, direction: 'sign-in' });
	});
});

describe('scans the kiosk refuses without recording anything', () => {
	const roster = view([person()]);

	it.each([
		['a QR code that is not a URL', 'hello there', 'not-a-badge'],
		['a URL of some other site', 'https://example.org/menu', 'not-a-badge'],
		["another building's badge", `https://other.example.com/b/${secret}`, 'foreign-badge'],
		['a presence code shown to the kiosk', `${origin}/k/3/12345.${'a'.repeat(22)}`, 'presence-code'],
		['a badge URL whose secret is malformed', `${origin}/b/short`, 'not-a-badge'],
	])('should refuse %s', (_what, text, reason) => {
		expect(decideBadgeScan(readScannedCode(text, origin), null, roster, [], at('09:00'), rules)).toEqual({ kind: 'refused', reason });
	});

	it('should refuse a badge the roster does not list (unknown, or revoked since)', () => {
		expect(decideBadgeScan(badge, 'ef'.repeat(32), roster, [], at('09:00'), rules)).toEqual({ kind: 'refused', reason: 'badge-unknown' });
	});

	it('should refuse every scan until the kiosk has a roster', () => {
		expect(decideBadgeScan(badge, hash, null, [], at('09:00'), rules)).toEqual({ kind: 'refused', reason: 'no-roster' });
		expect(decideNamedScan(7, null, [], at('09:00'), rules)).toEqual({ kind: 'refused', reason: 'no-roster' });
	});

	it('should refuse a picked name that is not on the roster', () => {
		expect(decideNamedScan(99, roster, [], at('09:00'), rules)).toEqual({ kind: 'refused', reason: 'badge-unknown' });
	});
});
