import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions, scrubPath } from '../../server/logger';

function capture(): { log: pino.Logger; lines: () => string } {
	let out = '';
	const sink = new Writable({
		write(chunk, _encoding, done) {
			out += String(chunk);
			done();
		},
	});
	return { log: pino(loggerOptions('info'), sink), lines: () => out };
}

const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';

describe('logging', () => {
	it('cuts a personal login token out of a path', () => {
		expect(scrubPath(`/accounts/token/${token}`)).toBe('/accounts/token/[redacted]');
		expect(scrubPath(`/accounts/token/${token}/__data.json?x=1`)).toBe('/accounts/token/[redacted]/__data.json?x=1');
		expect(scrubPath('/profile')).toBe('/profile');
		expect(scrubPath('/left/eyJhbGciOiJIUzI1NiJ9.eyJwdXIiOiJsZWZ0LWF0In0.c2ln?/default')).toBe('/left/[redacted]?/default');
	});

	it('never writes a login token from a logged path or URL', () => {
		const { log, lines } = capture();
		log.error({ path: `/accounts/token/${token}`, url: `https://register.example.org/accounts/token/${token}` }, 'unhandled error');
		expect(lines()).not.toContain(token);
		expect(lines()).toContain('/accounts/token/[redacted]');
	});

	it('never writes Authorization or Cookie headers, wherever they are logged', () => {
		const { log, lines } = capture();
		log.warn({ authorization: `LLToken ${token}`, cookie: 'register_session=secret-session', req: { headers: { authorization: 'Bearer secret-jwt', cookie: 'register_session=secret2' } } }, 'request');
		for (const secret of [token, 'secret-session', 'secret-jwt', 'secret2']) expect(lines()).not.toContain(secret);
		expect(lines()).toContain('[redacted]');
	});
});
