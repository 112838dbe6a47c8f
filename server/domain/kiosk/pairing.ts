/**
 * Pairing a tablet: an admin's one-time code (8 characters from an alphabet
 * without look-alikes, valid 10 minutes) becomes the kiosk's credential. The
 * code is stored as a keyed hash (about 40 bits: enough to resist guessing
 * online within ten minutes, too few to resist a stolen table offline, hence
 * the key). Pairing again replaces the credential and the presence secret, so
 * an old tablet of that kiosk stops working.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import { Location } from '../../db/models/attendance.model';
import { Kiosk } from '../../db/models/operations.model';
import { PAIRING_CODE_ALPHABET, PAIRING_CODE_LENGTH, PAIRING_CODE_TTL_MS, type KioskPairing } from '../../../src/lib/contracts/kiosk-protocol';
import { DomainError } from '../shared/errors';
import { keyedHash, newToken, sha256 } from '../identity/secrets';

export interface PairingCode {
	code: string;
	expiresAt: Date;
}

/** A new presence secret: 32 random bytes, base64url, as `presenceMac` takes it. */
export const newPresenceSecret = (): string => randomBytes(32).toString('base64url');

export function newPairingCode(): string {
	return Array.from({ length: PAIRING_CODE_LENGTH }, () => PAIRING_CODE_ALPHABET[randomInt(PAIRING_CODE_ALPHABET.length)]).join('');
}

const codeHash = (code: string) => keyedHash(`kiosk-pairing:${code}`);

/** Gives the kiosk a new code (the previous one stops working); the code is returned once. */
export async function issuePairingCode(kioskId: number, now = new Date(), t?: Transaction): Promise<PairingCode> {
	const code = newPairingCode();
	const expiresAt = new Date(now.getTime() + PAIRING_CODE_TTL_MS);
	await Kiosk.update({ pairingCodeHash: codeHash(code), pairingCodeExpiresAt: expiresAt }, { where: { id: kioskId }, transaction: t });
	return { code, expiresAt };
}

const notValid = () => new DomainError('code-invalid', 'That pairing code is not valid or was already used. Ask an admin for a new one.', 'code');

/** Pairs the tablet holding `code` (already normalised by the schema). Nothing changes on a refusal. */
export async function pairKiosk(code: string, now = new Date()): Promise<KioskPairing> {
	const kiosk = await Kiosk.findOne({ where: { pairingCodeHash: codeHash(code) } });
	if (!kiosk || kiosk.revokedAt) throw notValid();
	if (!kiosk.pairingCodeExpiresAt || kiosk.pairingCodeExpiresAt <= now) {
		throw new DomainError('code-expired', 'That pairing code has expired. Ask an admin for a new one.', 'code');
	}
	const credential = newToken();
	const presenceSecret = newPresenceSecret();
	// Conditional on the code still being there: two tablets racing with one code, only one wins.
	const [changed] = await Kiosk.update(
		{ tokenHash: sha256(credential), secret: presenceSecret, pairingCodeHash: null, pairingCodeExpiresAt: null, pairedAt: now, lastSeenAt: now, waitingActions: 0 },
		{ where: { id: kiosk.id, pairingCodeHash: kiosk.pairingCodeHash, revokedAt: { [Op.is]: null } } },
	);
	if (changed === 0) throw notValid();
	return { credential, presenceSecret, kiosk: { id: kiosk.id, name: kiosk.name }, location: await placeOf(kiosk.locationId) };
}

export async function placeOf(locationId: number | null): Promise<{ slug: string; name: string } | null> {
	if (locationId === null) return null;
	const location = await Location.findByPk(locationId);
	return location ? { slug: location.slug, name: location.name } : null;
}
