/**
 * Hashing for secrets we store. High-entropy tokens (sessions, login links,
 * badges) are stored as SHA-256; six-digit codes need a keyed hash (HMAC)
 * because their space is small enough to try every value.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { config } from '../../config';
import { logger } from '../../logger';

let key: string | undefined;

/** SECRET_KEY, or a key generated once into the data folder for the embedded default. */
function secretKey(): string {
	if (key) return key;
	const configured = config().secretKey;
	if (configured) return (key = configured);
	const file = path.join(config().dataDir, 'secret.key');
	if (!existsSync(file)) {
		mkdirSync(config().dataDir, { recursive: true });
		writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
		logger().warn({ file }, 'SECRET_KEY is not set: generated one in the data folder (set SECRET_KEY when running several instances)');
	}
	return (key = readFileSync(file, 'utf8').trim());
}

/** A new 256-bit random token, URL-safe. */
export const newToken = (): string => randomBytes(32).toString('base64url');

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export const keyedHash = (value: string): string => createHmac('sha256', secretKey()).update(value).digest('hex');

export function sameHash(a: string, b: string): boolean {
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && timingSafeEqual(left, right);
}
