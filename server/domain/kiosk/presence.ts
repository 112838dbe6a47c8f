/**
 * Presence codes: a kiosk shows `/k/<kioskId>/<slot>.<mac>`, a new slot
 * every 30 seconds, the MAC computed on the tablet under the kiosk's
 * presence secret (so it works offline). A phone's action that carries one
 * proves the phone saw the kiosk's screen around the time of the slot.
 *
 * The reference time the slot is compared with (docs/decisions.md):
 * - an action that arrives promptly (within PRESENCE_TOLERANCE_MS of its tap
 *   time: the phone was online) is compared with the server's own clock,
 *   which the phone cannot set;
 * - an action that arrives later (queued offline) is compared with its tap
 *   time, already clamped to the sync window (never in the future).
 * Either way the slot must lie within PRESENCE_TOLERANCE_MS of the reference:
 * a saved photo or link of a code opened later is refused as stale.
 */
import { timingSafeEqual } from 'node:crypto';
import { Kiosk } from '../../db/models/operations.model';
import { PRESENCE_SLOT_SECONDS, PRESENCE_TOLERANCE_MS, presenceMac, slotStart } from '../../../src/lib/contracts/kiosk-protocol';

export interface PresenceCode {
	kioskId: number;
	slot: number;
	mac: string;
}

export type PresenceCheck = { ok: true; locationId: number | null; kioskId: number } | { ok: false; reason: 'presence-invalid' | 'presence-stale' };

/** The instant a presence code is judged against: the server's clock when the action is fresh, its tap time otherwise. */
export function presenceReference(tapAt: Date, receivedAt: Date): Date {
	return receivedAt.getTime() - tapAt.getTime() <= PRESENCE_TOLERANCE_MS ? receivedAt : tapAt;
}

/** Whether a slot (30 seconds long) lies within the tolerance of the reference instant. */
export function slotIsFresh(slot: number, reference: Date): boolean {
	const start = slotStart(slot);
	const end = start + PRESENCE_SLOT_SECONDS * 1000;
	const at = reference.getTime();
	const distance = at < start ? start - at : at >= end ? at - end : 0;
	return distance <= PRESENCE_TOLERANCE_MS;
}

export function sameMac(a: string, b: string): boolean {
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && timingSafeEqual(left, right);
}

/** Checks a presence code: a live kiosk's MAC (constant-time), then the time. */
export async function checkPresence(code: PresenceCode, tapAt: Date, receivedAt: Date, kiosks?: Map<number, Kiosk | null>): Promise<PresenceCheck> {
	const kiosk = kiosks?.has(code.kioskId) ? kiosks.get(code.kioskId)! : await Kiosk.findByPk(code.kioskId);
	// An unknown or revoked kiosk still costs a MAC computation, so timing tells nothing about which kiosks exist.
	const secret = kiosk && !kiosk.revokedAt ? kiosk.secret : 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
	const expected = await presenceMac(secret, code.kioskId, code.slot);
	if (!sameMac(expected, code.mac) || !kiosk || kiosk.revokedAt) return { ok: false, reason: 'presence-invalid' };
	if (!slotIsFresh(code.slot, presenceReference(tapAt, receivedAt))) return { ok: false, reason: 'presence-stale' };
	return { ok: true, locationId: kiosk.locationId, kioskId: kiosk.id };
}
