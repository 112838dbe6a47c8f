/**
 * The zod schemas of the kiosk, badges, places and locations (issue 9), for
 * the server and for forms. The browser imports `kiosk-protocol.ts` instead,
 * which keeps zod out of the kiosk's bundle.
 */
import { z } from 'zod';
import { PAIRING_CODE_ALPHABET, PAIRING_CODE_LENGTH } from './kiosk-protocol';

export * from './kiosk-protocol';

/** Pairing codes are read off a screen: spaces, dashes and lower case are forgiven. */
export const pairingCode = z
	.string({ error: 'Enter the pairing code.' })
	.transform((code) => code.replace(/[\s-]/g, '').toUpperCase())
	.pipe(
		z
			.string()
			.length(PAIRING_CODE_LENGTH, `The pairing code has ${PAIRING_CODE_LENGTH} characters.`)
			.refine((code) => [...code].every((c) => PAIRING_CODE_ALPHABET.includes(c)), 'That is not a pairing code.'),
	);

const credential = z.string({ error: 'No kiosk credential.' }).regex(/^[A-Za-z0-9_-]{43}$/, 'That is not a kiosk credential.');

export const pairInput = z.object({ code: pairingCode }).strict();
export const resumeInput = z.object({ credential }).strict();
export const rosterInput = z
	.object({ waiting: z.number({ error: 'waiting must be a number.' }).int().nonnegative().max(1_000_000).default(0) })
	.strict();

const kioskId = z.number().int().positive().max(999_999_999);
const slot = z.number().int().nonnegative().max(999_999_999_999);
const mac = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'mac must be 22 base64url characters');

export const slugText = z
	.string({ error: 'The slug is required.' })
	.trim()
	.toLowerCase()
	.min(1, 'The slug is required.')
	.max(64, 'The slug must be at most 64 characters.')
	.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'The slug may use lower-case letters, digits and single dashes (e.g. bike-entrance).');

/** Where a phone says an action happened; the server checks the proof (see places.ts). */
export const placeClaim = z.union(
	[
		z.object({ location: slugText }).strict(),
		z.object({ presence: z.object({ kioskId, slot, mac }).strict() }).strict(),
	],
	{ error: 'place must name a location or a presence code' },
);

/** A kiosk scan in `sync.push` (the kiosk's credential cookie, no user session). */
export const kioskScanAction = z.object({
	id: z.uuid({ error: 'id must be a UUID' }),
	kind: z.literal('kiosk-scan'),
	clientAt: z.iso.datetime({ offset: true, error: 'clientAt must be an ISO 8601 date-time' }),
	deviceId: z.string().min(1).max(64),
	seq: z.number().int().nonnegative().max(2 ** 31 - 1).optional(),
	direction: z.enum(['sign-in', 'sign-out'], { error: 'direction must be sign-in or sign-out' }),
	subject: z.union(
		[
			z.object({ badgeHash: z.string().regex(/^[0-9a-f]{64}$/, 'badgeHash must be 64 hex digits') }).strict(),
			z.object({ userId: z.number().int().positive().max(2_147_483_647) }).strict(),
		],
		{ error: 'subject must be a badge hash or a user id' },
	),
});

const locationName = z
	.string({ error: 'The name is required.' })
	.trim()
	.min(1, 'The name is required.')
	.max(100, 'The name must be at most 100 characters.');

/** Forms send the checkbox as "on" or nothing; tRPC sends a boolean. */
const flag = z.preprocess((v) => v === true || v === 'on' || v === 'true', z.boolean());

export const locationInput = z.object({ name: locationName, slug: slugText, requiresPresence: flag.default(false) });
export const positiveId = z.coerce.number({ error: 'That is not an id.' }).int('That is not an id.').positive('That is not an id.').max(2_147_483_647, 'That is not an id.');
export const locationUpdate = locationInput.extend({ id: positiveId });
export const kioskInput = z.object({
	name: z.string({ error: 'The name is required.' }).trim().min(1, 'The name is required.').max(100, 'The name must be at most 100 characters.'),
	/** Empty from a form means "no location". */
	locationId: z.preprocess((v) => (v === '' || v === null ? undefined : v), positiveId.optional()),
});
export const badgeUsers = z.object({
	userIds: z.array(positiveId, { error: 'Choose the people.' }).min(1, 'Choose at least one person.').max(500, 'At most 500 people at once.'),
});

export type PlaceClaimInput = z.infer<typeof placeClaim>;
export type KioskScanAction = z.infer<typeof kioskScanAction>;
