/** Factories for kiosk tests: locations, paired kiosks, badges, and callers holding a kiosk cookie. */
import { randomUUID } from 'node:crypto';
import { createContextInner, toSessionUser } from '../../../server/api/context';
import { createCaller } from '../../../server/api/router';
import type { User } from '../../../server/db/models/people.model';
import { issueBadge } from '../../../server/domain/kiosk/badges';
import { createKiosk } from '../../../server/domain/kiosk/kiosks';
import { createLocation } from '../../../server/domain/kiosk/locations';
import { pairKiosk } from '../../../server/domain/kiosk/pairing';

let counter = 0;

export async function newLocation(options: { name?: string; slug?: string; requiresPresence?: boolean } = {}) {
	counter += 1;
	return createLocation({ name: options.name ?? `Entrance ${counter}`, slug: options.slug ?? `entrance-${counter}-${randomUUID().slice(0, 6)}`, requiresPresence: options.requiresPresence ?? false });
}

/** A kiosk paired now: its id, location, credential and presence secret. */
export async function newPairedKiosk(options: { locationId?: number | null; now?: Date } = {}) {
	const locationId = options.locationId === undefined ? (await newLocation()).id : options.locationId;
	const { kiosk, pairing } = await createKiosk({ name: `Kiosk ${++counter}`, locationId }, undefined, options.now);
	const paired = await pairKiosk(pairing.code, options.now);
	return { id: kiosk.id, locationId, credential: paired.credential, presenceSecret: paired.presenceSecret };
}

export async function newBadge(user: User) {
	return issueBadge(user.id);
}

/** A tRPC caller for a browser that holds a kiosk cookie (and optionally a user session); cookies set are recorded. */
export function kioskCaller(credential: string | null, user: User | null = null, ip = '198.51.100.20') {
	const cookies: string[] = [];
	const caller = createCaller(
		createContextInner({
			user: user ? toSessionUser(user) : null,
			request: { ip, userAgent: 'kiosk-test', source: 'web' },
			kioskCredential: credential,
			setKioskCookie: (value) => cookies.push(value),
		}),
	);
	return { caller, cookies };
}

export const scan = (subject: { badgeHash: string } | { userId: number }, direction: 'sign-in' | 'sign-out', clientAt: string, extra: Record<string, unknown> = {}) => ({
	id: randomUUID(),
	kind: 'kiosk-scan' as const,
	clientAt,
	deviceId: 'kiosk-tablet',
	direction,
	subject,
	...extra,
});
