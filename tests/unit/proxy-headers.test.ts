import type { RequestEvent } from '@sveltejs/kit';
import { afterEach, describe, expect, it } from 'vitest';
import { markServedProtocol } from '../../server/cli/served-protocol';
import { loadConfig, resetConfig, SERVED_PROTOCOL_HEADER } from '../../server/config';
import { handle } from '../../src/hooks.server';

const plain = loadConfig({});

describe('the protocol npm start tells the handler', () => {
	it('is plain HTTP without ORIGIN, whatever the client claims', () => {
		const headers = { 'x-forwarded-proto': 'https', [SERVED_PROTOCOL_HEADER]: 'https' };
		markServedProtocol(headers, plain);
		expect(headers[SERVED_PROTOCOL_HEADER]).toBe('http');
	});

	it('is left to a configured PROTOCOL_HEADER (a TLS proxy), and the private header is still dropped', () => {
		const headers: Record<string, string> = { 'x-forwarded-proto': 'https', [SERVED_PROTOCOL_HEADER]: 'https' };
		markServedProtocol(headers, loadConfig({ PROTOCOL_HEADER: 'x-forwarded-proto' }));
		expect(headers[SERVED_PROTOCOL_HEADER]).toBeUndefined();
		expect(headers['x-forwarded-proto']).toBe('https');
	});

	it('is the one in ORIGIN when it is set', () => {
		const headers: Record<string, string> = { [SERVED_PROTOCOL_HEADER]: 'https' };
		markServedProtocol(headers, loadConfig({ ORIGIN: 'https://register.example.org' }));
		expect(headers[SERVED_PROTOCOL_HEADER]).toBeUndefined();
	});

	it('refuses an ADDRESS_HEADER or XFF_DEPTH that is not one, naming it', () => {
		expect(() => loadConfig({ ADDRESS_HEADER: 'x forwarded' })).toThrow(/ADDRESS_HEADER/);
		expect(() => loadConfig({ XFF_DEPTH: '0' })).toThrow(/XFF_DEPTH/);
		expect(loadConfig({ ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '2' }).proxy).toMatchObject({ addressHeader: 'x-forwarded-for', xffDepth: 2 });
	});
});

async function headersFor(origin: string | undefined): Promise<Headers> {
	resetConfig({ origin });
	const request = new Request('http://register.test/login');
	const event = { request, url: new URL(request.url), locals: {}, cookies: { get: () => undefined }, getClientAddress: () => '127.0.0.1' } as unknown as RequestEvent;
	return (await handle({ event, resolve: async () => new Response('page') })).headers;
}

describe('HSTS', () => {
	afterEach(() => resetConfig());

	it('is sent when ORIGIN is https', async () => {
		expect((await headersFor('https://register.example.org')).get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
	});

	it('is not sent on plain HTTP or without ORIGIN', async () => {
		expect((await headersFor('http://register.local')).get('strict-transport-security')).toBeNull();
		expect((await headersFor(undefined)).get('strict-transport-security')).toBeNull();
	});
});
