/** Making admins from the command line. */
import { transaction } from '../../db/database';
import { User } from '../../db/models/people.model';
import { parseEmail } from '../identity/contacts';
import { findOrCreateContact } from '../identity/login-codes';
import { createUser } from './users';

export interface AdminRequest {
	email: string;
	firstName: string;
	lastName: string;
}

/** Creates the admin, or promotes whoever already owns that email; they then log in with it. */
export async function createOrPromoteAdmin(input: AdminRequest): Promise<{ user: User; created: boolean }> {
	const contact = parseEmail(input.email);
	return transaction(async (t) => {
		const row = await findOrCreateContact(contact, t);
		const existing = row.userId ? await User.findByPk(row.userId, { transaction: t }) : null;
		if (existing) {
			await existing.update({ role: 'admin' }, { transaction: t });
			return { user: existing, created: false };
		}
		const user = await createUser({ firstName: input.firstName, lastName: input.lastName, role: 'admin' }, t);
		await row.update({ userId: user.id }, { transaction: t });
		return { user, created: true };
	});
}
