/** Factories for integration tests: people and audit facts with sensible defaults. */
import { transaction } from '../../../server/db/database';
import type { Role } from '../../../server/db/models/people.model';
import type { AuditInput } from '../../../server/domain/shared/audit';
import { findOrCreateContact } from '../../../server/domain/identity/login-codes';
import { createUser } from '../../../server/domain/people/users';

let counter = 0;

export const webAudit: AuditInput = { ip: '203.0.113.7', userAgent: 'vitest', source: 'web' };

export async function newUser(options: { firstName?: string; lastName?: string; role?: Role; email?: string } = {}) {
	counter += 1;
	const n = counter; // taken now: the transaction may run after other factories have counted on
	return transaction(async (t) => {
		const user = await createUser(
			{ firstName: options.firstName ?? `Test${n}`, lastName: options.lastName ?? 'Person', role: options.role },
			t,
		);
		if (options.email) {
			const contact = await findOrCreateContact({ method: 'email', value: options.email }, t);
			await contact.update({ userId: user.id }, { transaction: t });
		}
		return user;
	});
}

/** An instant given as building-local wall-clock time in winter (GMT = UTC). */
export const gmt = (isoLocal: string) => new Date(`${isoLocal}Z`);
