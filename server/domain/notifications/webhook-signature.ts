/**
 * `X-Register-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`,
 * Stripe's scheme: the timestamp inside the signed text lets a receiver
 * refuse replays of an old body, and `v1` leaves room for a new algorithm.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Register-Signature';

export const signatureOf = (secret: string, unixSeconds: number, body: string): string =>
	createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');

export function signatureHeader(secret: string, body: string, at: Date): string {
	const t = Math.floor(at.getTime() / 1000);
	return `t=${t},v1=${signatureOf(secret, t, body)}`;
}

/** What a receiver does; used by our tests' receiver and documented for integrators. */
export function verifySignature(secret: string, header: string | null | undefined, body: string, now: Date, toleranceSeconds = 300): boolean {
	const parts = Object.fromEntries((header ?? '').split(',').map((part) => part.split('=', 2) as [string, string]));
	const t = Number(parts.t);
	if (!Number.isInteger(t) || !parts.v1 || Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
	const expected = Buffer.from(signatureOf(secret, t, body), 'hex');
	const given = Buffer.from(parts.v1, 'hex');
	return expected.length === given.length && timingSafeEqual(expected, given);
}
