import { expect } from 'vitest';

/** Runs `run`, expects it to throw an instance of `kind`, and returns the error for closer checks. */
export function thrown<E extends Error>(run: () => unknown, kind: abstract new (...args: never[]) => E): E {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(kind);
		return error as E;
	}
	throw new Error(`expected ${kind.name} to be thrown`);
}
