/**
 * Every refusal the rules can give, each with a stable code. Edges (tRPC,
 * form actions, REST) map codes to their own statuses in one place each.
 */
export const domainErrorCodes = [
	'invalid-input',
	'wrong-date',
	'unauthenticated',
	'forbidden',
	'not-found',
	'conflict',
	'code-invalid',
	'code-expired',
	'too-many-attempts',
	'name-required',
	'rate-limited',
	'unavailable',
] as const;
export type DomainErrorCode = (typeof domainErrorCodes)[number];

export class DomainError extends Error {
	constructor(
		readonly code: DomainErrorCode,
		message: string,
		readonly field?: string,
	) {
		super(message);
		this.name = 'DomainError';
	}
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
