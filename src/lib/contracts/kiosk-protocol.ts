/**
 * What the reception kiosk, the phone and the server agree on (issue 9,
 * DESIGN §1, §4, §5): badge and presence QR formats, the roster snapshot a
 * kiosk keeps offline, and the sync actions a kiosk and a phone at a place
 * send. Constants, types and pure functions only (WebCrypto, which Node 20
 * and browsers both have), so both sides import it.
 */
import type { SyncResult } from './sync-protocol';

/** A presence code changes every 30 seconds. */
export const PRESENCE_SLOT_SECONDS = 30;
/** A presence code proves presence when its slot is this close to the reference time (server now, or the tap time when synced later). */
export const PRESENCE_TOLERANCE_MS = 2 * 60_000;
/** The same badge scanned again within this time shows the last result again instead of toggling. */
export const REPEAT_SCAN_MS = 30_000;
/** Pairing codes: 8 characters from an alphabet without look-alikes, valid 10 minutes, one use. */
export const PAIRING_CODE_LENGTH = 8;
export const PAIRING_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const PAIRING_CODE_TTL_MS = 10 * 60_000;
/** The kiosk refreshes its roster this often while online. */
export const ROSTER_REFRESH_MS = 60_000;

/**
 * A badge QR is a URL on this building's origin: `${origin}/b/<secret>`.
 * `<secret>` is 32 random bytes, base64url (43 characters). The server stores
 * only `badgeHash(secret)`. Opened on a phone, `/b/<secret>` only explains
 * that a badge is scanned at the kiosk: a badge never logs anyone in.
 * A badge URL of another origin is "another building's badge".
 */
export const BADGE_PATH = '/b/';
/** A presence QR is `${origin}/k/<kioskId>/<slot>.<mac>`. */
export const PRESENCE_PATH = '/k/';
/** An entrance poster's QR is `${origin}/e/<location slug>`. */
export const ENTRANCE_PATH = '/e/';

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type ScannedCode =
	| { kind: 'badge'; secret: string }
	| { kind: 'presence'; kioskId: number; slot: number; mac: string }
	| { kind: 'foreign-badge' }
	| { kind: 'unknown' };

/** What a scanned QR text is, for a kiosk on `origin` (e.g. `https://register.example.com`). */
export function readScannedCode(text: string, origin: string): ScannedCode {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		return { kind: 'unknown' };
	}
	const isBadgePath = url.pathname.startsWith(BADGE_PATH);
	if (url.origin !== origin) return isBadgePath ? { kind: 'foreign-badge' } : { kind: 'unknown' };
	if (isBadgePath) {
		const secret = url.pathname.slice(BADGE_PATH.length);
		return SECRET_PATTERN.test(secret) ? { kind: 'badge', secret } : { kind: 'unknown' };
	}
	const presence = readPresencePath(url.pathname);
	return presence ? { kind: 'presence', ...presence } : { kind: 'unknown' };
}

/** `/k/<kioskId>/<slot>.<mac>` → its parts, or null. */
export function readPresencePath(pathname: string): { kioskId: number; slot: number; mac: string } | null {
	const match = /^\/k\/(\d{1,9})\/(\d{1,12})\.([A-Za-z0-9_-]{22})$/.exec(pathname);
	if (!match) return null;
	return { kioskId: Number(match[1]), slot: Number(match[2]), mac: match[3]! };
}

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// Typed on a plain ArrayBuffer: WebCrypto's BufferSource does not take a view that may be shared (TypeScript 6).
function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
	const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
	return Uint8Array.from(binary, (c) => c.charCodeAt(0)) as Uint8Array<ArrayBuffer>;
}

/** SHA-256 of a badge secret, lowercase hex: what the server stores and the roster lists. */
export async function badgeHash(secret: string): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(secret)));
	return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The presence slot of an instant (epoch ms). */
export const presenceSlot = (atMs: number): number => Math.floor(atMs / 1000 / PRESENCE_SLOT_SECONDS);
/** When a slot begins (epoch ms). */
export const slotStart = (slot: number): number => slot * PRESENCE_SLOT_SECONDS * 1000;

/**
 * The MAC of a presence slot: HMAC-SHA256 under the kiosk's presence secret
 * (base64url, 32 bytes) of `presence:<kioskId>:<slot>`, first 16 bytes, base64url (22 characters).
 */
export async function presenceMac(secret: string, kioskId: number, slot: number): Promise<string> {
	const key = await crypto.subtle.importKey('raw', fromBase64url(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
	const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`presence:${kioskId}:${slot}`)));
	return base64url(signature.slice(0, 16));
}

/** The presence URL path a kiosk shows at `atMs`. */
export async function presencePath(secret: string, kioskId: number, atMs: number): Promise<string> {
	const slot = presenceSlot(atMs);
	return `${PRESENCE_PATH}${kioskId}/${slot}.${await presenceMac(secret, kioskId, slot)}`;
}

/** Where an action happened, as a phone states it. The server checks the proof. */
export type PlaceClaim =
	/** A poster at an entrance (`/e/<slug>`). */
	| { location: string }
	/** A kiosk's rotating presence code (`/k/<kioskId>/<slot>.<mac>`). */
	| { presence: { kioskId: number; slot: number; mac: string } };

/**
 * A kiosk scan as it waits in the kiosk's outbox and travels in `sync.push`
 * (same batch input; the kiosk's credential cookie instead of a session).
 * `direction` is what the kiosk told the person ("Signed in 09:02"), decided
 * from its roster and its own waiting scans; the server records that fact and
 * the fold decides what it changes, as for any other device.
 */
export interface KioskScanInput {
	id: string;
	kind: 'kiosk-scan';
	/** Scan time by the tablet's clock, ISO 8601. */
	clientAt: string;
	/** `kiosk-<kioskId>`. */
	deviceId: string;
	seq?: number;
	direction: 'sign-in' | 'sign-out';
	/** A badge scan names the badge; "Type your name" names the person. */
	subject: { badgeHash: string } | { userId: number };
}

/** Reasons a kiosk scan or a place claim is refused, as `SyncResult.reason`. */
export const kioskRejections = [
	'kiosk-revoked', // the kiosk was revoked: its whole queue is refused
	'kiosk-unpaired', // no valid kiosk credential
	'badge-unknown', // no such badge in this building
	'badge-revoked', // the badge was revoked
	'presence-invalid', // a presence code whose MAC does not check (forged, or another kiosk's)
	'presence-stale', // a presence code too far from the reference time (replayed)
	'presence-required', // a poster at a location that requires the kiosk's presence code
	'location-unknown', // a poster for a location that does not exist
	'person-unknown', // "Type your name" named someone who is no longer in the register
] as const;
export type KioskRejection = (typeof kioskRejections)[number];

export interface RosterPerson {
	userId: number;
	firstName: string;
	lastName: string;
	/** Live badge hashes of this person. */
	badgeHashes: string[];
	signedIn: boolean;
	/** When the current record began (ISO), when signed in. */
	since: string | null;
}

/** The roster a kiosk keeps in IndexedDB and answers scans from, online or not. */
export interface KioskRoster {
	kiosk: { id: number; name: string };
	location: { slug: string; name: string } | null;
	buildingName: string;
	/** The building-local date the roster's states are for. */
	date: string;
	/** The building's time zone and maximum shift, so the tablet folds its scans by the server's rules (absent in snapshots of older servers). */
	timeZone?: string;
	maxShiftMs?: number;
	/** Server time the snapshot was taken (ISO). */
	generatedAt: string;
	people: RosterPerson[];
	/** The open fire roll call: the tablet shows its evacuation screen (absent from older servers). */
	rollCall?: KioskRollCall | null;
}

/** An open roll call as a kiosk needs it: people tap their name or scan their badge as they leave. */
export interface KioskRollCall {
	/** The roll call's UUID, which the tablet's `rollcall-mark` actions name. */
	id: string;
	drill: boolean;
	startedAt: string;
}

/** What `kiosk.pair` answers; the credential also arrives as an httpOnly cookie. */
export interface KioskPairing {
	/** 256-bit credential, base64url: kept in IndexedDB to restore the cookie (`kiosk.resume`). */
	credential: string;
	/** The presence secret, base64url, 32 bytes: the tablet computes presence codes offline. */
	presenceSecret: string;
	kiosk: { id: number; name: string };
	location: { slug: string; name: string } | null;
}

export interface KioskPushReply {
	results: SyncResult[];
}
