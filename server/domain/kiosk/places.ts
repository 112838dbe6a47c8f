/**
 * Where a phone says it signed in or out, checked: a poster names a location
 * (refused when unknown, or when that location asks for the kiosk's presence
 * code instead); a presence code must check (see presence.ts).
 */
import { Location } from '../../db/models/attendance.model';
import type { AuditSource } from '../../db/models/attendance.model';
import type { KioskRejection, PlaceClaim } from '../../../src/lib/contracts/kiosk-protocol';
import { checkPresence } from './presence';

export type PlaceCheck = { ok: true; locationId: number | null; source: AuditSource } | { ok: false; reason: KioskRejection };

/**
 * The location an action with this claim happened at. A poster tap is
 * audited as `poster`; a presence code tap stays the phone's own (`sync`):
 * the phone did it, the kiosk only vouched for where.
 */
export async function checkPlace(claim: PlaceClaim, tapAt: Date, receivedAt: Date, phoneSource: AuditSource = 'sync'): Promise<PlaceCheck> {
	if ('location' in claim) {
		const location = await Location.findOne({ where: { slug: claim.location } });
		if (!location) return { ok: false, reason: 'location-unknown' };
		if (location.requiresPresence) return { ok: false, reason: 'presence-required' };
		return { ok: true, locationId: location.id, source: 'poster' };
	}
	const presence = await checkPresence(claim.presence, tapAt, receivedAt);
	return presence.ok ? { ok: true, locationId: presence.locationId, source: phoneSource } : presence;
}
