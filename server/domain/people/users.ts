/** People: names, the original's username rule, and creation with their settings row. */
import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import { User, UserSettings, type Role } from '../../db/models/people.model';
import { DomainError } from '../shared/errors';

export const NAME_MAX = 100;

/** Username stem `first.last`: lower case, ASCII letters and digits only. */
export function usernameStem(firstName: string, lastName: string): string {
	const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
	return `${clean(firstName)}.${clean(lastName)}`;
}

/** The stem itself if free, else the stem with the lowest free `.1`, `.2`, ... suffix. */
export function nextFreeUsername(stem: string, taken: ReadonlySet<string>): string {
	if (!taken.has(stem)) return stem;
	for (let n = 1; ; n++) {
		const candidate = `${stem}.${n}`;
		if (!taken.has(candidate)) return candidate;
	}
}

export function validateName(value: string | undefined, label: 'First name' | 'Last name'): string {
	const trimmed = (value ?? '').trim();
	const field = label === 'First name' ? 'firstName' : 'lastName';
	if (!trimmed) throw new DomainError('name-required', `${label} is required.`, field);
	if (trimmed.length > NAME_MAX) {
		throw new DomainError('invalid-input', `${label} must be at most ${NAME_MAX} characters.`, field);
	}
	return trimmed;
}

export interface NewUser {
	firstName: string;
	lastName: string;
	role?: Role;
}

export async function createUser(input: NewUser, transaction: Transaction): Promise<User> {
	const firstName = validateName(input.firstName, 'First name');
	const lastName = validateName(input.lastName, 'Last name');
	const stem = usernameStem(firstName, lastName);
	const existing = await User.findAll({
		attributes: ['username'],
		where: { [Op.or]: [{ username: stem }, { username: { [Op.like]: `${stem}.%` } }] },
		transaction,
	});
	const username = nextFreeUsername(stem, new Set(existing.map((u) => u.username)));
	try {
		const user = await User.create({ username, firstName, lastName, role: input.role ?? 'staff' }, { transaction });
		await UserSettings.create({ userId: user.id }, { transaction });
		return user;
	} catch (error) {
		if (error instanceof UniqueConstraintError) {
			throw new DomainError('conflict', 'Someone else was registered with that name at the same moment: please try again.');
		}
		throw error;
	}
}

export async function findUser(id: number, transaction?: Transaction): Promise<User> {
	const user = await User.findByPk(id, { transaction });
	if (!user) throw new DomainError('not-found', 'No such user.');
	return user;
}

/** The account facts admin pages list: who, what role, since when. */
export const accountSummary = (user: User) => ({
	id: user.id,
	username: user.username,
	firstName: user.firstName,
	lastName: user.lastName,
	role: user.role,
	createdAt: user.createdAt,
});
