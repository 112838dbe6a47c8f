import { describe, expect, it } from 'vitest';
import { attendanceForm, attendanceInput } from '../../src/lib/contracts/attendance';
import { requestCodeForm, verifyCodeForm } from '../../src/lib/contracts/login';

const uuid = '0b6a4f52-3c2e-4d7a-9a43-5f1e2d3c4b5a';

describe('attendanceInput', () => {
	it('turns a missing input into an empty object', () => {
		expect(attendanceInput.parse(undefined)).toEqual({});
	});

	it('accepts a calendar date and a UUID action id', () => {
		expect(attendanceInput.parse({ date: '2026-01-10', actionId: uuid })).toEqual({ date: '2026-01-10', actionId: uuid });
	});

	it('rejects a date that is not a date', () => {
		expect(attendanceInput.safeParse({ date: 'yesterday' }).success).toBe(false);
		expect(attendanceInput.safeParse({ date: '2026-02-30' }).success).toBe(false);
	});

});

describe('attendanceForm', () => {
	it('requires the date', () => {
		expect(attendanceForm.safeParse({}).success).toBe(false);
		expect(attendanceForm.safeParse({ actionId: uuid }).success).toBe(false);
	});

	it('accepts a date with or without an action id', () => {
		expect(attendanceForm.parse({ date: '2026-01-10' })).toEqual({ date: '2026-01-10' });
		expect(attendanceForm.parse({ date: '2026-01-10', actionId: uuid })).toEqual({ date: '2026-01-10', actionId: uuid });
	});
});

describe('verifyCodeForm', () => {
	const valid = { contact: 'ada@example.com', code: '123456' };

	it('accepts a 6-digit code and trims the fields', () => {
		expect(verifyCodeForm.parse({ contact: ' ada@example.com ', code: ' 123456 ', firstName: ' Ada ' })).toEqual({
			contact: 'ada@example.com',
			code: '123456',
			firstName: 'Ada',
		});
	});

	it('requires exactly 6 digits in the code', () => {
		for (const code of ['12345', '1234567', 'abcdef', '']) {
			expect(verifyCodeForm.safeParse({ ...valid, code }).success).toBe(false);
		}
		expect(verifyCodeForm.safeParse({ contact: valid.contact }).success).toBe(false);
	});

	it('rejects a first or last name over 100 characters and accepts 100', () => {
		expect(verifyCodeForm.safeParse({ ...valid, firstName: 'a'.repeat(101) }).success).toBe(false);
		expect(verifyCodeForm.safeParse({ ...valid, lastName: 'a'.repeat(101) }).success).toBe(false);
		expect(verifyCodeForm.safeParse({ ...valid, firstName: 'a'.repeat(100) }).success).toBe(true);
	});
});

describe('requestCodeForm', () => {
	it('rejects an empty or whitespace-only contact', () => {
		expect(requestCodeForm.safeParse({ contact: '' }).success).toBe(false);
		expect(requestCodeForm.safeParse({ contact: '   ' }).success).toBe(false);
		expect(requestCodeForm.safeParse({}).success).toBe(false);
	});

	it('rejects a contact over 254 characters', () => {
		expect(requestCodeForm.safeParse({ contact: 'a'.repeat(255) }).success).toBe(false);
	});

	it('trims the contact', () => {
		expect(requestCodeForm.parse({ contact: ' 07700 900123 ' })).toEqual({ contact: '07700 900123' });
	});
});
