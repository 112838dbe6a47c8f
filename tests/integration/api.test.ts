import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { expect, it } from 'vitest';
import { createContextInner, toSessionUser } from '../../server/api/context';
import { createCaller } from '../../server/api/router';
import { SignInRecord } from '../../server/db/models/attendance.model';
import { localDate } from '../../server/domain/shared/clock';
import { useTestDatabase } from './support/database';
import { newUser } from './support/factories';

const db = await useTestDatabase();

async function callerFor(options: Parameters<typeof newUser>[0] = {}) {
	const user = await newUser(options);
	const caller = createCaller(
		createContextInner({ user: toSessionUser(user), request: { ip: '198.51.100.4', userAgent: 'api-test', source: 'web' } }),
	);
	return { user, caller };
}

const trpcCode = async (promise: Promise<unknown>) => {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(TRPCError);
	return (error as TRPCError).code;
};

db.describe(`attendance API (${db.dialect})`, () => {
	it('reports the status, signs in and signs out through the procedures', async () => {
		const { user, caller } = await callerFor();
		expect(await caller.attendance.status()).toMatchObject({ signedIn: false, since: null, date: localDate(new Date()) });
		const signedIn = await caller.attendance.signIn({ date: localDate(new Date()) });
		expect(signedIn).toMatchObject({ outcome: 'applied', status: { signedIn: true } });
		expect(signedIn.status.sinceTime).toMatch(/^\d{2}:\d{2}$/);
		expect((await caller.attendance.status()).signedIn).toBe(true);
		const signedOut = await caller.attendance.signOut();
		expect(signedOut).toMatchObject({ outcome: 'applied', message: 'You have successfully signed out. See you again soon!' });
		const records = await SignInRecord.findAll({ where: { userId: user.id } });
		expect(records).toHaveLength(1);
		expect(records[0]!.signOutAt).not.toBeNull();
	});

	it('answers a repeated action id as a duplicate', async () => {
		const { caller } = await callerFor();
		const actionId = randomUUID();
		expect((await caller.attendance.signIn({ actionId })).outcome).toBe('applied');
		expect((await caller.attendance.signIn({ actionId })).outcome).toBe('duplicate');
	});

	it('refuses every procedure without a session', async () => {
		const anonymous = createCaller(createContextInner());
		expect(await trpcCode(anonymous.attendance.status())).toBe('UNAUTHORIZED');
		expect(await trpcCode(anonymous.attendance.signIn())).toBe('UNAUTHORIZED');
		expect(await trpcCode(anonymous.attendance.signOut())).toBe('UNAUTHORIZED');
	});

	it('answers malformed input with BAD_REQUEST and changes nothing', async () => {
		const { user, caller } = await callerFor();
		const bad = [{ actionId: 'not-a-uuid' }, { date: '2026-02-30' }, { date: 'yesterday' }, { extra: true }];
		for (const input of bad) {
			expect(await trpcCode(caller.attendance.signIn(input as never))).toBe('BAD_REQUEST');
		}
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(0);
	});

	it('maps the wrong-date guard to CONFLICT with the reference message', async () => {
		const { caller } = await callerFor();
		const error = await caller.attendance.signIn({ date: '2020-01-01' }).catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'CONFLICT', message: 'Sorry, you attempted to sign in for the wrong date.' });
	});
});
