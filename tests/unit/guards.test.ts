import { describe, expect, it } from 'vitest';
import { safeNext } from '../../server/web/guards';

const origin = 'https://register.example.org';
const next = (value: string | null) => safeNext(value, origin);

describe('safeNext', () => {
	it('keeps a same-site path with its query and hash', () => {
		expect(next('/admin?x=1')).toBe('/admin?x=1');
		expect(next('/profile#link')).toBe('/profile#link');
		expect(next('/')).toBe('/');
	});

	it('keeps only the path of an absolute URL on this site', () => {
		expect(next('https://register.example.org/admin?x=1')).toBe('/admin?x=1');
	});

	it('sends a missing next to the home page', () => {
		expect(next(null)).toBe('/');
		expect(next('')).toBe('/');
	});

	it('refuses absolute URLs to other sites and other schemes', () => {
		expect(next('https://evil.example')).toBe('/');
		expect(next('http://register.example.org/admin')).toBe('/');
		expect(next('javascript:alert(1)')).toBe('/');
		expect(next('data:text/html,hi')).toBe('/');
	});

	it('refuses protocol-relative and backslash paths that browsers treat as other sites', () => {
		expect(next('//evil.example')).toBe('/');
		expect(next('/\\evil')).toBe('/');
		expect(next('\\\\evil')).toBe('/');
	});

	it('refuses a tab, newline or carriage return that a browser drops to make //evil', () => {
		expect(next('/\t/evil.example')).toBe('/');
		expect(next('/\n/evil.example')).toBe('/');
		expect(next('/\r/evil.example')).toBe('/');
		expect(next('/\r\n/evil.example')).toBe('/');
	});

	it('refuses the same tricks when they arrive still percent-encoded once decoded by the query parser', () => {
		// `?next=/%09/evil.example` reaches safeNext decoded; encoded twice it stays a harmless path.
		expect(next(new URLSearchParams('next=/%09/evil.example').get('next'))).toBe('/');
		expect(next(new URLSearchParams('next=/%5C/evil.example').get('next'))).toBe('/');
		expect(next(new URLSearchParams('next=%2F%2Fevil.example').get('next'))).toBe('/');
		expect(next('/%09/evil.example')).toBe('/%09/evil.example');
	});

	it('turns a path that normalises to //host into a path on this site', () => {
		expect(next('/.//evil.example')).toBe('/evil.example');
		expect(next('/a/..//evil.example')).toBe('/evil.example');
	});

	it('answers something that can go in a Location header', () => {
		expect(next('/x\u0000y\u2028z')).toMatch(/^\/[\x21-\x7e]*$/);
		expect(next('/caf\u00e9 bar')).toBe('/caf%C3%A9%20bar');
	});

	it('reads a relative path as one on this site', () => {
		expect(next('admin')).toBe('/admin');
	});
});
