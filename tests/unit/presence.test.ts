import { describe, expect, it } from 'vitest';
import { presenceReference, sameMac, slotIsFresh } from '../../server/domain/kiosk/presence';
import { presenceMac, presencePath, presenceSlot, PRESENCE_TOLERANCE_MS, readPresencePath, slotStart } from '../../src/lib/contracts/kiosk-protocol';

const at = new Date('2026-03-10T09:00:10Z');

describe('presence codes', () => {
	it('judges a prompt action against the server clock and a late one against its tap time', () => {
		expect(presenceReference(at, new Date(at.getTime() + 5_000))).toEqual(new Date(at.getTime() + 5_000));
		expect(presenceReference(at, new Date(at.getTime() + PRESENCE_TOLERANCE_MS))).toEqual(new Date(at.getTime() + PRESENCE_TOLERANCE_MS));
		expect(presenceReference(at, new Date(at.getTime() + PRESENCE_TOLERANCE_MS + 1))).toEqual(at);
	});

	it('accepts a slot within the tolerance on either side and refuses one beyond it', () => {
		const slot = presenceSlot(at.getTime());
		expect(slotIsFresh(slot, at)).toBe(true);
		const end = slotStart(slot + 1);
		expect(slotIsFresh(slot, new Date(end + PRESENCE_TOLERANCE_MS - 1))).toBe(true);
		expect(slotIsFresh(slot, new Date(end + PRESENCE_TOLERANCE_MS + 1))).toBe(false);
		expect(slotIsFresh(slot, new Date(slotStart(slot) - PRESENCE_TOLERANCE_MS))).toBe(true);
		expect(slotIsFresh(slot, new Date(slotStart(slot) - PRESENCE_TOLERANCE_MS - 1))).toBe(false);
	});

	it('computes the path the kiosk shows, which reads back to its parts', async () => {
		const secret = Buffer.alloc(32, 7).toString('base64url');
		const path = await presencePath(secret, 12, at.getTime());
		expect(readPresencePath(path)).toEqual({ kioskId: 12, slot: presenceSlot(at.getTime()), mac: await presenceMac(secret, 12, presenceSlot(at.getTime())) });
	});

	it('compares MACs of different lengths without throwing', () => {
		expect(sameMac('abc', 'abcd')).toBe(false);
		expect(sameMac('abcd', 'abcd')).toBe(true);
	});
});
