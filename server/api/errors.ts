/** The one map from domain refusals to tRPC and HTTP statuses. */
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { RETRY_AFTER_S } from '../db/outage';
import type { DomainErrorCode } from '../domain/shared/errors';

export const trpcCodeFor: Record<DomainErrorCode, TRPC_ERROR_CODE_KEY> = {
	'invalid-input': 'BAD_REQUEST',
	'wrong-date': 'CONFLICT',
	unauthenticated: 'UNAUTHORIZED',
	forbidden: 'FORBIDDEN',
	'not-found': 'NOT_FOUND',
	conflict: 'CONFLICT',
	'code-invalid': 'BAD_REQUEST',
	'code-expired': 'BAD_REQUEST',
	'too-many-attempts': 'TOO_MANY_REQUESTS',
	'name-required': 'BAD_REQUEST',
	'rate-limited': 'TOO_MANY_REQUESTS',
	unavailable: 'SERVICE_UNAVAILABLE',
};

export const httpStatusFor: Record<DomainErrorCode, number> = {
	'invalid-input': 400,
	'wrong-date': 409,
	unauthenticated: 401,
	forbidden: 403,
	'not-found': 404,
	conflict: 409,
	'code-invalid': 400,
	'code-expired': 400,
	'too-many-attempts': 429,
	'name-required': 400,
	'rate-limited': 429,
	unavailable: 503,
};

/** tRPC's `responseMeta`: a 503 (the database is away) tells the client when to retry. */
export function retryAfterOnUnavailable({ errors }: { errors: ReadonlyArray<{ code: TRPC_ERROR_CODE_KEY }> }): { headers?: Headers } {
	return errors.some((e) => e.code === 'SERVICE_UNAVAILABLE') ? { headers: new Headers({ 'retry-after': String(RETRY_AFTER_S) }) } : {};
}
