import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { ConnectionRefusedError } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { createContextInner } from '../../server/api/context';
import { retryAfterOnUnavailable } from '../../server/api/errors';
import { publicProcedure, router } from '../../server/api/trpc';
import { DomainError } from '../../server/domain/shared/errors';

const leaky = router({
	bug: publicProcedure.query(() => {
		throw new Error('SQLITE_ERROR: no such column: users.secret in SELECT * FROM users at /srv/app/server/db/x.ts:12');
	}),
	refusal: publicProcedure.query(() => {
		throw new DomainError('not-found', 'No such user.');
	}),
	outage: publicProcedure.query(() => {
		throw new ConnectionRefusedError(Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:3306'), { code: 'ECONNREFUSED' }));
	}),
});

async function call(path: string) {
	const response = await fetchRequestHandler({
		endpoint: '/api/trpc',
		req: new Request(`http://register.test/api/trpc/${path}`),
		router: leaky,
		createContext: () => createContextInner(),
		responseMeta: retryAfterOnUnavailable,
	});
	return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() };
}

describe('tRPC errors on the wire', () => {
	it('answer a bug with a fixed sentence: no SQL, no file path, no stack', async () => {
		const answer = await call('bug');
		expect(answer.status).toBe(500);
		expect(answer.body).toContain('Something went wrong on our side');
		expect(answer.body).not.toMatch(/SQLITE|SELECT|\/srv\/|\.ts:|stack/);
	});

	it('keep a domain refusal\'s own message and status', async () => {
		const answer = await call('refusal');
		expect(answer.status).toBe(404);
		expect(answer.body).toContain('No such user.');
	});

	it('answer a database outage with 503 and Retry-After, without the address', async () => {
		const answer = await call('outage');
		expect(answer.status).toBe(503);
		expect(answer.retryAfter).toMatch(/^\d+$/);
		expect(answer.body).not.toMatch(/ECONNREFUSED|10\.0\.0\.5/);
	});
});
