/**
 * The mobile app's bearer token: an HS256 JWT under JWT_SECRET, as the
 * original issued it (sub = the user's id, first_name, last_name, iss, iat,
 * exp 90 days ahead). `sub` is written as a string (RFC 7519) and read as a
 * string or a number, so tokens the original server issued under the same
 * key keep working; `iss` is not checked for the same reason.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import { config } from '../config';
import type { User } from '../db/models/people.model';
import { database } from '../db/database';
import { personName } from '../db/queries/person-name.query';
import { DomainError } from '../domain/shared/errors';

/** What the app's calls need of a person. */
export type AppUser = Pick<User, 'id' | 'firstName' | 'lastName'>;

export const APP_TOKEN_TTL_S = 90 * 24 * 60 * 60;
export const APP_TOKEN_ISSUER = 'building-register';

let cachedKey: { secret: string; key: Promise<CryptoKey> } | undefined;

/** Imported once per secret: jose would otherwise import the raw key again for every token it signs or checks. */
function signingKey(): Promise<CryptoKey> {
	const secret = config().legacyApp.jwtSecret;
	if (!secret) throw new DomainError('unavailable', 'The mobile app API is not set up on this server (JWT_SECRET is not set).');
	if (cachedKey?.secret !== secret) {
		const key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
		cachedKey = { secret, key };
	}
	return cachedKey.key;
}

/** Refuses early (503) when the API cannot answer, before anything is changed. */
export function assertAppApiConfigured(): void {
	signingKey();
}

export async function issueAppToken(user: AppUser, at = new Date()): Promise<string> {
	const key = await signingKey();
	const iat = Math.floor(at.getTime() / 1000);
	return new SignJWT({ first_name: user.firstName, last_name: user.lastName })
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
		.setSubject(String(user.id))
		.setIssuer(APP_TOKEN_ISSUER)
		.setIssuedAt(iat)
		.setExpirationTime(iat + APP_TOKEN_TTL_S)
		.sign(key);
}

const refused = (why: string) => new DomainError('unauthenticated', why);

/** The user a token was issued to; an expired, forged, malformed or orphaned token is refused (401). */
export async function userForAppToken(token: string, at = new Date()): Promise<AppUser> {
	const key = await signingKey();
	let sub: unknown;
	try {
		const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], requiredClaims: ['exp'], currentDate: at });
		sub = payload.sub;
	} catch (error) {
		if (error instanceof errors.JWTExpired) throw refused('Your app login has expired: log in again.');
		throw refused('That app token is not valid: log in again.');
	}
	const id = typeof sub === 'number' ? sub : typeof sub === 'string' && /^\d{1,15}$/.test(sub) ? Number(sub) : NaN;
	if (!Number.isSafeInteger(id) || id <= 0) throw refused('That app token does not name a user: log in again.');
	const user = await personName(database(), id);
	if (!user) throw refused('The account this app token belongs to no longer exists: log in again.');
	return user;
}
