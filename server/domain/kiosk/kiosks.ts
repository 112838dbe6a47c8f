/**
 * Kiosks: reception tablets an admin creates, pairs and may revoke. A kiosk
 * holds two secrets: its credential (256-bit, in an httpOnly cookie and the
 * tablet's IndexedDB; the server keeps only its SHA-256, like sessions) and
 * its presence secret, which the server keeps in clear because it must
 * check the presence codes the tablet computes offline.
 */
import { Op, type Transaction } from 'sequelize';
import { audited, type AdminActor } from '../shared/admin-audit';
import { Location } from '../../db/models/attendance.model';
import { Kiosk } from '../../db/models/operations.model';
import { DomainError } from '../shared/errors';
import { sha256 } from '../identity/secrets';
import { issuePairingCode, newPresenceSecret, type PairingCode } from './pairing';

export interface KioskView {
	id: number;
	name: string;
	location: { id: number; slug: string; name: string } | null;
	paired: boolean;
	pairedAt: Date | null;
	lastSeenAt: Date | null;
	waitingActions: number | null;
	revokedAt: Date | null;
	/** A pairing code is live (its expiry); the code itself was shown once. */
	pairingCodeExpiresAt: Date | null;
}

async function locationsById(ids: Array<number | null>): Promise<Map<number, Location>> {
	const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
	if (wanted.length === 0) return new Map();
	return new Map((await Location.findAll({ where: { id: wanted } })).map((l) => [l.id, l]));
}

function kioskView(k: Kiosk, locations: Map<number, Location>, now: Date): KioskView {
	const location = k.locationId !== null ? locations.get(k.locationId) : undefined;
	const codeLive = k.pairingCodeHash !== null && k.pairingCodeExpiresAt !== null && k.pairingCodeExpiresAt > now;
	return {
		id: k.id,
		name: k.name,
		location: location ? { id: location.id, slug: location.slug, name: location.name } : null,
		paired: k.tokenHash !== null && k.revokedAt === null,
		pairedAt: k.pairedAt,
		lastSeenAt: k.lastSeenAt,
		waitingActions: k.waitingActions,
		revokedAt: k.revokedAt,
		pairingCodeExpiresAt: codeLive ? k.pairingCodeExpiresAt : null,
	};
}

export async function listKiosks(now = new Date()): Promise<KioskView[]> {
	const kiosks = await Kiosk.findAll({ order: [['revokedAt', 'ASC'], ['name', 'ASC'], ['id', 'ASC']] });
	const locations = await locationsById(kiosks.map((k) => k.locationId));
	return kiosks.map((k) => kioskView(k, locations, now));
}

export async function kioskById(id: number, now = new Date()): Promise<KioskView> {
	const kiosk = await Kiosk.findByPk(id);
	if (!kiosk) throw new DomainError('not-found', 'No such kiosk.');
	return kioskView(kiosk, await locationsById([kiosk.locationId]), now);
}

async function checkLocation(locationId: number | null, t: Transaction): Promise<void> {
	if (locationId !== null && !(await Location.findByPk(locationId, { transaction: t }))) throw new DomainError('invalid-input', 'No such location.', 'locationId');
}

/** Creates a kiosk and its first pairing code, which is shown once. */
export async function createKiosk(fields: { name: string; locationId: number | null }, actor?: AdminActor, now = new Date()): Promise<{ kiosk: KioskView; pairing: PairingCode }> {
	const { id, pairing } = await audited(
		actor,
		'kiosk-created',
		async (t) => {
			await checkLocation(fields.locationId, t);
			const kiosk = await Kiosk.create({ name: fields.name, locationId: fields.locationId, tokenHash: null, pairingCodeHash: null, secret: newPresenceSecret() }, { transaction: t });
			return { id: kiosk.id, pairing: await issuePairingCode(kiosk.id, now, t) };
		},
		({ id }) => ({ details: { kioskId: id, name: fields.name, locationId: fields.locationId } }),
	);
	return { kiosk: await kioskById(id, now), pairing };
}

/** A new pairing code for a kiosk (a new tablet, or the first code expired). A revoked kiosk stays revoked. */
export async function reissuePairingCode(id: number, actor?: AdminActor, now = new Date()): Promise<PairingCode> {
	return audited(
		actor,
		'kiosk-code-issued',
		async (t) => {
			const kiosk = await Kiosk.findByPk(id, { transaction: t });
			if (!kiosk) throw new DomainError('not-found', 'No such kiosk.');
			if (kiosk.revokedAt) throw new DomainError('conflict', 'This kiosk was revoked: create a new one.');
			return issuePairingCode(id, now, t);
		},
		(pairing) => ({ details: { kioskId: id, expiresAt: pairing.expiresAt.toISOString() } }),
	);
}

/** Stops a kiosk at its next contact: its roster is refused and its queue rejected with `kiosk-revoked`. */
export async function revokeKiosk(id: number, actor?: AdminActor, now = new Date()): Promise<void> {
	await audited(
		actor,
		'kiosk-revoked',
		async (t) => {
			const [changed] = await Kiosk.update({ revokedAt: now, pairingCodeHash: null, pairingCodeExpiresAt: null }, { where: { id, revokedAt: null }, transaction: t });
			if (changed === 0 && !(await Kiosk.findByPk(id, { transaction: t }))) throw new DomainError('not-found', 'No such kiosk.');
		},
		() => ({ details: { kioskId: id } }),
	);
}

export type KioskCredentialState =
	| { state: 'live'; kiosk: Kiosk }
	| { state: 'revoked'; kiosk: Kiosk }
	| { state: 'unknown' };

/** The kiosk a credential opens, revoked or not. */
export async function kioskForCredential(credential: string | null | undefined): Promise<KioskCredentialState> {
	if (!credential || !/^[A-Za-z0-9_-]{43}$/.test(credential)) return { state: 'unknown' };
	const kiosk = await Kiosk.findOne({ where: { tokenHash: sha256(credential) } });
	if (!kiosk) return { state: 'unknown' };
	return kiosk.revokedAt ? { state: 'revoked', kiosk } : { state: 'live', kiosk };
}

/** Stamps a kiosk's contact and the number of actions it says are waiting. */
export async function recordContact(kioskId: number, waiting: number | null, now = new Date()): Promise<void> {
	const values = waiting === null ? { lastSeenAt: now } : { lastSeenAt: now, waitingActions: waiting };
	await Kiosk.update(values, { where: { id: kioskId, revokedAt: { [Op.is]: null } } });
}
