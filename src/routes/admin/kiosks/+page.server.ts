import type { Actions, PageServerLoad } from './$types';
import { kioskInput, positiveId } from '$lib/contracts/kiosk';
import { createKiosk, listKiosks, reissuePairingCode, revokeKiosk } from '$server/domain/kiosk/kiosks';
import { listLocations } from '$server/domain/kiosk/locations';
import type { PairingCode } from '$server/domain/kiosk/pairing';
import { momentInWords } from '$server/domain/shared/clock';
import { adminActor } from '$server/web/admin-actor';
import { field, formAction, parseForm, readForm } from '$server/web/forms';
import { requireAdmin } from '$server/web/guards';
import { qrDataUrl } from '$server/web/qr';
import { z } from 'zod';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals.user, url);
	const [kiosks, locations] = await Promise.all([listKiosks(), listLocations()]);
	return {
		locations: locations.map((l) => ({ id: l.id, name: l.name })),
		kiosks: kiosks.map((k) => ({
			id: k.id,
			name: k.name,
			location: k.location?.name ?? null,
			state: k.revokedAt ? 'revoked' : k.paired ? 'paired' : k.pairingCodeExpiresAt ? 'waiting for pairing' : 'not paired',
			lastContact: k.lastSeenAt ? momentInWords(k.lastSeenAt) : 'never',
			waiting: k.waitingActions,
			revoked: k.revokedAt !== null,
		})),
	};
};

/** The code as shown once: spaced for reading aloud, with the QR the tablet's camera can read. */
async function shownCode(origin: string, kioskId: number, pairing: PairingCode) {
	const url = new URL(`/kiosk/pair?code=${pairing.code}`, origin).toString();
	return { kioskId, code: pairing.code, expiresAt: pairing.expiresAt.toISOString(), url, qr: await qrDataUrl(url) };
}

const byId = z.object({ id: positiveId });

export const actions: Actions = {
	create: async (event) => {
		const actor = adminActor(event);
		const form = await readForm(event);
		return formAction(async () => {
			const input = parseForm(kioskInput, form, ['name', 'locationId']);
			const { kiosk, pairing } = await createKiosk({ name: input.name, locationId: input.locationId ?? null }, actor);
			return { section: 'code' as const, name: kiosk.name, pairing: await shownCode(event.url.origin, kiosk.id, pairing) };
		}, { section: 'create', name: field(form, 'name') ?? '' });
	},
	reissue: async (event) => {
		const actor = adminActor(event);
		const form = await readForm(event);
		return formAction(async () => {
			const { id } = parseForm(byId, form, ['id']);
			const pairing = await reissuePairingCode(id, actor);
			return { section: 'code' as const, name: field(form, 'name') ?? 'the kiosk', pairing: await shownCode(event.url.origin, id, pairing) };
		}, { section: 'list' });
	},
	revoke: async (event) => {
		const actor = adminActor(event);
		const form = await readForm(event);
		return formAction(async () => {
			await revokeKiosk(parseForm(byId, form, ['id']).id, actor);
			return { section: 'list' as const, revoked: true };
		}, { section: 'list' });
	},
};
