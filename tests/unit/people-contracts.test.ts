import { describe, expect, it } from 'vitest';
import { eraseInput, mergeInput, nameInput, searchInput, userId } from '../../src/lib/contracts/people';
import { tokenFromAuthorization } from '../../server/domain/identity/login-links';

describe('people contracts', () => {
	it('reads a user id from a form string or a number, and nothing else', () => {
		expect(userId.parse('12')).toBe(12);
		expect(userId.parse(7)).toBe(7);
		for (const bad of ['abc', '1.5', '-1', '0', '', '99999999999']) expect(userId.safeParse(bad).success).toBe(false);
	});

	it('trims names and refuses empty or oversize ones with the field named', () => {
		expect(nameInput.parse({ firstName: ' Ada ', lastName: 'Lovelace' })).toEqual({ firstName: 'Ada', lastName: 'Lovelace' });
		const oversize = nameInput.safeParse({ firstName: 'A', lastName: 'x'.repeat(101) });
		expect(oversize.success).toBe(false);
		expect(oversize.error!.issues[0]).toMatchObject({ path: ['lastName'], message: 'Last name must be at most 100 characters.' });
		expect(nameInput.safeParse({ firstName: '  ', lastName: 'B' }).error!.issues[0]!.message).toBe('First name is required.');
	});

	it('needs two to twenty accounts to merge, a username to erase, and a bounded search', () => {
		expect(mergeInput.safeParse({ userIds: [1] }).success).toBe(false);
		expect(mergeInput.safeParse({ userIds: Array.from({ length: 21 }, (_, i) => i + 1) }).success).toBe(false);
		expect(mergeInput.parse({ userIds: ['3', 4] })).toEqual({ userIds: [3, 4] });
		expect(eraseInput.safeParse({ userId: 1 }).success).toBe(false);
		expect(searchInput.parse({})).toEqual({ query: '' });
		expect(searchInput.safeParse({ query: 'x'.repeat(101) }).success).toBe(false);
	});
});

describe('tokenFromAuthorization', () => {
	it('reads the token of an LLToken header, whatever the scheme case', () => {
		expect(tokenFromAuthorization('LLToken abc_DEF-123')).toBe('abc_DEF-123');
		expect(tokenFromAuthorization('lltoken abc')).toBe('abc');
	});

	it('ignores other schemes, a missing token and extra words', () => {
		for (const header of [null, undefined, '', 'LLToken', 'LLToken ', 'Bearer abc', 'LLTokenabc', 'LLToken a b']) {
			expect(tokenFromAuthorization(header)).toBeNull();
		}
	});
});
