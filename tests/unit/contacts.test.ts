import { beforeEach, describe, expect, it } from 'vitest';
import { resetConfig } from '../../server/config';
import { parseEmail, parseEmailOrPhone, parsePhone } from '../../server/domain/identity/contacts';
import { DomainError } from '../../server/domain/shared/errors';
import { codeLoginMethod, loginMethods } from '../../server/domain/identity/login-methods';
import { thrown } from '../support/thrown';

const domainError = (run: () => unknown) => thrown(run, DomainError);

describe('parseEmail', () => {
	it('lower-cases and trims the address', () => {
		expect(parseEmail('  Ada.Lovelace@Example.COM \n')).toEqual({ method: 'email', value: 'ada.lovelace@example.com' });
	});

	it('refuses junk with code invalid-input on the contact field', () => {
		for (const raw of ['not an email', 'ada@', '@example.com', '']) {
			const error = domainError(() => parseEmail(raw));
			expect(error.code).toBe('invalid-input');
			expect(error.field).toBe('contact');
		}
	});

	it('refuses an address longer than 254 characters', () => {
		const long = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`;
		expect(long.length).toBeGreaterThan(254);
		expect(domainError(() => parseEmail(long)).code).toBe('invalid-input');
	});
});

describe('parsePhone', () => {
	// 07911 123456, not the brief's 07700 900123: libphonenumber rejects Ofcom's 07700 900xxx drama range as invalid.
	it('normalises a UK national number to E.164', () => {
		expect(parsePhone(' 07911 123456 ')).toEqual({ method: 'sms', value: '+447911123456' });
	});

	it('accepts an international number with spaces', () => {
		expect(parsePhone('+44 7911 123456')).toEqual({ method: 'sms', value: '+447911123456' });
	});

	it('refuses a number that is not valid with code invalid-input on the contact field', () => {
		const error = domainError(() => parsePhone('12345'));
		expect(error.code).toBe('invalid-input');
		expect(error.field).toBe('contact');
	});
});

describe('parseEmailOrPhone', () => {
	it('parses input with an @ as an email address', () => {
		expect(parseEmailOrPhone(' Ada@Example.com ')).toEqual({ method: 'email', value: 'ada@example.com' });
	});

	it('parses input without an @ as a phone number', () => {
		expect(parseEmailOrPhone('07911 123456')).toEqual({ method: 'sms', value: '+447911123456' });
	});

	it('refuses empty or blank input on the contact field', () => {
		const error = domainError(() => parseEmailOrPhone('   '));
		expect(error.code).toBe('invalid-input');
		expect(error.field).toBe('contact');
	});

	it('refuses input longer than 254 characters', () => {
		expect(domainError(() => parseEmailOrPhone('1'.repeat(255))).code).toBe('invalid-input');
	});
});

describe('development login method', () => {
	beforeEach(() => {
		resetConfig({ devLogin: true });
	});

	it('is offered when development login is on, and not when it is off', () => {
		expect(loginMethods().map((m) => m.id)).toEqual(['dev']);
		resetConfig({ devLogin: false });
		expect(loginMethods()).toEqual([]);
		expect(codeLoginMethod('dev')).toBeUndefined();
	});

	it('throws the sample validation error for "fail"', () => {
		const method = codeLoginMethod('dev');
		expect(method).toBeDefined();
		for (const raw of ['fail', ' FAIL ']) {
			const error = domainError(() => method!.parseContact(raw));
			expect(error.code).toBe('invalid-input');
			expect(error.field).toBe('contact');
			expect(error.message).toContain('fail');
		}
	});

	it('has no sample error on a real deployment (ORIGIN set), even with DEV_LOGIN=on', () => {
		resetConfig({ devLogin: true, origin: 'https://register.example.org' });
		const error = domainError(() => codeLoginMethod('dev')!.parseContact('fail'));
		expect(error.message).not.toMatch(/sample/);
	});

	it('parses any other contact as an email address or phone number', () => {
		const method = codeLoginMethod('dev')!;
		expect(method.parseContact('Ada@Example.com')).toEqual({ method: 'email', value: 'ada@example.com' });
		expect(method.parseContact('07911 123456')).toEqual({ method: 'sms', value: '+447911123456' });
	});
});
