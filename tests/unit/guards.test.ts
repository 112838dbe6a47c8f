import { describe, expect, it } from 'vitest';
import { safeNext } from '../../server/web/guards';

describe('safeNext', () => {
	it('keeps a same-site path with its query', () => {
		expect(safeNext('/admin?x=1')).toBe('/admin?x=1');
		expect(safeNext('/')).toBe('/');
	});

	it('sends a missing next to the home page', () => {
		expect(safeNext(null)).toBe('/');
		expect(safeNext('')).toBe('/');
	});

	it('refuses absolute URLs to other sites', () => {
		expect(safeNext('https://evil.example')).toBe('/');
		expect(safeNext('javascript:alert(1)')).toBe('/');
	});

	it('refuses protocol-relative and backslash paths that browsers treat as other sites', () => {
		expect(safeNext('//evil.example')).toBe('/');
		expect(safeNext('/\\evil')).toBe('/');
	});

	it('refuses a relative path that does not start with a slash', () => {
		expect(safeNext('admin')).toBe('/');
	});
});
