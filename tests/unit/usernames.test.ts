import { describe, expect, it } from 'vitest';
import { DomainError } from '../../server/domain/shared/errors';
import { nextFreeUsername, usernameStem, validateName } from '../../server/domain/people/users';
import { thrown } from '../support/thrown';

const domainError = (run: () => unknown) => thrown(run, DomainError);

describe('usernameStem', () => {
	it('joins lower-cased first and last names with a dot', () => {
		expect(usernameStem('Ada', 'Lovelace')).toBe('ada.lovelace');
	});

	it('keeps only ASCII letters and digits', () => {
		expect(usernameStem('Anne-Marie', "O'Brien")).toBe('annemarie.obrien');
		expect(usernameStem('Mary Jane', 'Smith 2nd')).toBe('maryjane.smith2nd');
	});

	it('drops accented letters rather than transliterating them', () => {
		expect(usernameStem('José', 'Núñez')).toBe('jos.nez');
	});
});

describe('nextFreeUsername', () => {
	it('returns the stem itself when it is free', () => {
		expect(nextFreeUsername('ada.lovelace', new Set())).toBe('ada.lovelace');
		expect(nextFreeUsername('ada.lovelace', new Set(['ada.lovelace.1']))).toBe('ada.lovelace');
	});

	it('appends .1 when the stem is taken, then .2 when .1 is taken too', () => {
		expect(nextFreeUsername('ada.lovelace', new Set(['ada.lovelace']))).toBe('ada.lovelace.1');
		expect(nextFreeUsername('ada.lovelace', new Set(['ada.lovelace', 'ada.lovelace.1']))).toBe('ada.lovelace.2');
	});

	it('fills the lowest gap in the suffixes', () => {
		const taken = new Set(['ada.lovelace', 'ada.lovelace.1', 'ada.lovelace.3']);
		expect(nextFreeUsername('ada.lovelace', taken)).toBe('ada.lovelace.2');
	});
});

describe('validateName', () => {
	it('returns the name trimmed', () => {
		expect(validateName('  Ada  ', 'First name')).toBe('Ada');
	});

	it('refuses an empty or blank name with code name-required, naming the field', () => {
		for (const value of ['', '   ', undefined]) {
			const error = domainError(() => validateName(value, 'First name'));
			expect(error.code).toBe('name-required');
			expect(error.field).toBe('firstName');
		}
		expect(domainError(() => validateName(' ', 'Last name')).field).toBe('lastName');
	});

	it('accepts exactly 100 characters', () => {
		const name = 'a'.repeat(100);
		expect(validateName(name, 'Last name')).toBe(name);
	});

	it('refuses 101 characters with code invalid-input', () => {
		const error = domainError(() => validateName('a'.repeat(101), 'Last name'));
		expect(error.code).toBe('invalid-input');
		expect(error.field).toBe('lastName');
	});

	it('measures the length after trimming', () => {
		expect(validateName(` ${'a'.repeat(100)} `, 'First name')).toBe('a'.repeat(100));
	});
});
