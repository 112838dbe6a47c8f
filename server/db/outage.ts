/**
 * Telling a database outage from a bug: a refused, lost or timed-out
 * connection is answered 503 with Retry-After (the client should try again),
 * while anything else stays a 500 that we log and fix.
 */
import { ConnectionError, TimeoutError } from 'sequelize';

/** Seconds a client is asked to wait before retrying while the database is away. */
export const RETRY_AFTER_S = 5;

const outageCodes = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EPIPE',
	'PROTOCOL_CONNECTION_LOST',
	'PROTOCOL_SEQUENCE_TIMEOUT',
	'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
	'ER_CON_COUNT_ERROR',
	'ER_LOCK_WAIT_TIMEOUT',
	'SQLITE_BUSY',
]);

/** True when `error` (or what it wraps) says the database cannot be reached right now. */
export function isDatabaseOutage(error: unknown): boolean {
	for (let current = error, depth = 0; current && depth < 5; depth += 1) {
		if (current instanceof ConnectionError || current instanceof TimeoutError) return true;
		if (typeof current !== 'object') return false;
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && outageCodes.has(code)) return true;
		const next = current as { parent?: unknown; original?: unknown; cause?: unknown };
		current = next.parent ?? next.original ?? next.cause;
	}
	return false;
}

export const outageMessage = 'The register cannot reach its database right now: please try again in a moment.';
