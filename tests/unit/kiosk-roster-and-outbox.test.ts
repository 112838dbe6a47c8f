import { describe, expect, it } from 'vitest';
import { REPEAT_SCAN_MS, type KioskRoster } from '../../src/lib/contracts/kiosk-protocol';
import { indexRoster, initialsOf, namesStartingWith } from '../../src/lib/client/kiosk/roster-index';
import { answered, canForget, isRefusedScan, isWaitingScan, kioskDeviceId, reflectedBy, toPushAction } from '../../src/lib/client/kiosk/kiosk-outbox-rules';
import { HeldCodeFilter } from '../../src/lib/client/kiosk/held-code';
import { refusedLine, resultLine, waitingLine } from '../../src/lib/client/kiosk/kiosk-messages';
import { msToNextSlot, presenceUrl } from '../../src/lib/client/kiosk/presence-display.svelte';
import { normalisePairingCode } from '../../src/lib/client/kiosk/kiosk-api';
import { isPairingCode } from '../../src/lib/client/kiosk/pairing-form.svelte';
import type { KioskOutboxEntry } from '../../src/lib/client/kiosk/kiosk-types';
import { readPresencePath, presenceMac } from '../../src/lib/contracts/kiosk-protocol';

const roster: KioskRoster = {
	kiosk: { id: 3, name: 'Front desk' },
	location: null,
	buildingName: 'HQ',
	date: '2026-11-24',
	generatedAt: '2026-11-24T08:00:00Z',
	people: [
		{ userId: 1, firstName: 'Zoe', lastName: 'Adams', badgeHashes: ['AA'.repeat(32)], signedIn: false, since: null },
		{ userId: 2, firstName: 'ada', lastName: 'Byron', badgeHashes: [], signedIn: false, since: null },
		{ userId: 3, firstName: 'Alan', lastName: 'Turing', badgeHashes: ['bb'.repeat(32), 'cc'.repeat(32)], signedIn: true, since: '2026-11-24T07:00:00Z' },
	],
};

describe('the roster as the kiosk looks people up', () => {
	it('should find a person by any of their live badge hashes, whatever the case of the hex', () => {
		const index = indexRoster(roster);
		expect(index.byBadge.get('aa'.repeat(32))?.userId).toBe(1);
		expect(index.byBadge.get('cc'.repeat(32))?.userId).toBe(3);
		expect(index.byUser.get(2)?.lastName).toBe('Byron');
	});

	it('should list first letters once each, and the names under a letter sorted, with no contact details', () => {
		expect(initialsOf(roster)).toEqual(['A', 'Z']);
		expect(namesStartingWith(roster, 'A')).toEqual([
			{ userId: 2, name: 'ada Byron' },
			{ userId: 3, name: 'Alan Turing' },
		]);
	});
});

const entry = (extra: Partial<KioskOutboxEntry> = {}): KioskOutboxEntry => ({
	id: 'e1',
	kind: 'kiosk-scan',
	clientAt: '2026-11-24T09:00:00.000Z',
	deviceId: kioskDeviceId(3),
	seq: 4,
	direction: 'sign-in',
	subject: { badgeHash: 'aa'.repeat(32) },
	userId: 1,
	firstName: 'Zoe',
	...extra,
});
const nine = Date.parse('2026-11-24T09:00:00Z');

describe("the kiosk outbox's rules", () => {
	it('should keep a confirmed scan (not waiting, not refused) instead of dropping it', () => {
		const confirmed = answered(entry(), { id: 'e1', outcome: 'applied' }, nine + 1_000);
		expect(confirmed.confirmedAt).toBe(nine + 1_000);
		expect(isWaitingScan(confirmed)).toBe(false);
		expect(isRefusedScan(confirmed)).toBe(false);
	});

	it('should treat a no-op or a duplicate as confirmed too', () => {
		expect(answered(entry(), { id: 'e1', outcome: 'no-op' }, nine).confirmedAt).toBe(nine);
		expect(answered(entry(), { id: 'e1', outcome: 'duplicate' }, nine).confirmedAt).toBe(nine);
	});

	it('should keep a refused scan with its reason, counted as refused', () => {
		const refused = answered(entry(), { id: 'e1', outcome: 'rejected', reason: 'kiosk-revoked' }, nine);
		expect(refused.rejectedReason).toBe('kiosk-revoked');
		expect(isRefusedScan(refused)).toBe(true);
		expect(isWaitingScan(refused)).toBe(false);
	});

	it("should leave an entry alone when the answer is about another one", () => {
		expect(answered(entry(), { id: 'other', outcome: 'applied' }, nine)).toEqual(entry());
	});

	it('should count a scan as reflected only by a roster asked for after its confirmation', () => {
		const confirmed = entry({ confirmedAt: nine + 1_000 });
		expect(reflectedBy(confirmed, nine + 500)).toBe(false);
		expect(reflectedBy(confirmed, nine + 2_000)).toBe(true);
		expect(reflectedBy(entry(), nine + 60_000)).toBe(false); // still waiting: never reflected
	});

	it('should forget a scan only once a roster reflects it and its repeat window has passed', () => {
		const confirmed = entry({ confirmedAt: nine + 1_000 });
		expect(canForget(confirmed, nine + 2_000, nine + 10_000)).toBe(false);
		expect(canForget(confirmed, nine + 2_000, nine + REPEAT_SCAN_MS)).toBe(true);
		expect(canForget(entry(), nine + 2_000, nine + 3_600_000)).toBe(false);
		expect(canForget(entry({ rejectedReason: 'badge-revoked' }), nine + 2_000, nine + 3_600_000)).toBe(false);
	});

	it("should send the contract's fields only", () => {
		expect(toPushAction(entry({ confirmedAt: 1, rejectedReason: 'x' }))).toEqual({
			id: 'e1',
			kind: 'kiosk-scan',
			clientAt: '2026-11-24T09:00:00.000Z',
			deviceId: 'kiosk-3',
			seq: 4,
			direction: 'sign-in',
			subject: { badgeHash: 'aa'.repeat(32) },
		});
	});
});

describe('a badge held in front of the camera', () => {
	it('should be one presentation while it stays, and a new one after it was taken away', () => {
		const held = new HeldCodeFilter(2_000);
		expect(held.isNew('badge', 0)).toBe(true);
		expect(held.isNew('badge', 100)).toBe(false);
		expect(held.isNew('badge', 1_900)).toBe(false);
		expect(held.isNew('badge', 5_000)).toBe(true);
		expect(held.isNew('other', 5_100)).toBe(true);
		expect(held.isNew('badge', 5_200)).toBe(true);
	});
});

describe('what the kiosk says', () => {
	it('should give the time in the kiosk zone', () => {
		expect(resultLine('sign-in', new Date('2026-11-24T09:02:00Z'), 'Europe/London')).toBe('Signed in 09:02');
		expect(resultLine('sign-out', new Date('2026-07-24T16:31:00Z'), 'Europe/London')).toBe('Signed out 17:31');
	});

	it('should count waiting and refused scans, and say nothing when there are none', () => {
		expect(waitingLine(0)).toBeNull();
		expect(waitingLine(1)).toBe('1 scan waiting to sync');
		expect(waitingLine(3)).toBe('3 scans waiting to sync');
		// A roll call started on the tablet is not a scan.
		expect(waitingLine(0, 1)).toBe('1 roll call start waiting to sync');
		expect(waitingLine(2, 1)).toBe('1 roll call start and 2 scans waiting to sync');
		expect(waitingLine(0, 0)).toBeNull();
		expect(refusedLine(2)).toBe('2 scans were refused by the register');
	});
});

describe('the presence code and the pairing code', () => {
	it('should make a presence URL the server can check, changing with the 30-second slot', async () => {
		const secret = 'q'.repeat(43);
		const url = await presenceUrl('https://r.example', secret, 3, Date.parse('2026-11-24T09:00:10Z'));
		const parts = readPresencePath(new URL(url).pathname)!;
		expect(parts.kioskId).toBe(3);
		expect(parts.mac).toBe(await presenceMac(secret, 3, parts.slot));
		const next = await presenceUrl('https://r.example', secret, 3, Date.parse('2026-11-24T09:00:31Z'));
		expect(next).not.toBe(url);
		expect(msToNextSlot(Date.parse('2026-11-24T09:00:10Z'))).toBe(20_000);
	});

	it('should accept a pairing code typed in lower case with spaces, and refuse look-alikes', () => {
		expect(normalisePairingCode(' abcd-efgh ')).toBe('ABCDEFGH');
		expect(isPairingCode('abcd efgh')).toBe(true);
		expect(isPairingCode('ABCDEFG0')).toBe(false); // 0 is not in the alphabet
		expect(isPairingCode('ABC')).toBe(false);
	});
});
