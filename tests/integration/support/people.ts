/** Helpers for the people tests: sign-in records with audit stamps, callers by role, tRPC refusal codes. */
import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import { createContextInner, toSessionUser } from '../../../server/api/context';
import { createCaller } from '../../../server/api/router';
import { transaction } from '../../../server/db/database';
import { SignInRecord } from '../../../server/db/models/attendance.model';
import type { User } from '../../../server/db/models/people.model';
import type { AdminActor } from '../../../server/domain/shared/admin-audit';
import { writeAudit } from '../../../server/domain/shared/audit';
import { webAudit } from './factories';

/** A closed sign-in record of that day, with its sign-in and sign-out audit stamps. */
export function recordFor(userId: number, date = '2026-03-02'): Promise<SignInRecord> {
	return transaction(async (t) => {
		const signInAt = new Date(`${date}T09:00:00Z`);
		const signOutAt = new Date(`${date}T17:00:00Z`);
		const signIn = await writeAudit(webAudit, signInAt, t);
		const signOut = await writeAudit(webAudit, signOutAt, t);
		return SignInRecord.create(
			{ userId, date, signInAt, signInAuditId: signIn.id, signOutAt, signOutAuditId: signOut.id },
			{ transaction: t },
		);
	});
}

export const actorFrom = (user: User): AdminActor => ({ id: user.id, request: { ip: '198.51.100.9', userAgent: 'admin-test' } });

export function callerAs(user: User | null, sessionToken: string | null = null) {
	return createCaller(
		createContextInner({
			user: user ? toSessionUser(user) : null,
			request: { ip: '198.51.100.4', userAgent: 'api-test', source: 'web' },
			sessionToken,
		}),
	);
}

/** The tRPC code a call is refused with (the call must fail). */
export async function trpcCode(promise: Promise<unknown>): Promise<string> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(TRPCError);
	return (error as TRPCError).code;
}
