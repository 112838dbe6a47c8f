/** Profile and user-management inputs both the server and the browser speak. No Node or DOM imports. */
import { z } from 'zod';

export const roleNames = ['staff', 'marshal', 'admin'] as const;

const name = (label: string) =>
	z
		.string({ error: `${label} is required.` })
		.trim()
		.min(1, `${label} is required.`)
		.max(100, `${label} must be at most 100 characters.`);

export const nameInput = z.object({ firstName: name('First name'), lastName: name('Last name') }).strict();

const contact = z
	.string({ error: 'Enter an email address or phone number.' })
	.trim()
	.min(1, 'Enter an email address or phone number.')
	.max(254, 'That is too long for an email address or phone number.');

export const addContactForm = z.object({ contact });
export const verifyContactForm = z.object({
	contact,
	code: z
		.string({ error: 'Enter the 6-digit code.' })
		.trim()
		.regex(/^\d{6}$/, 'The code is the 6 digits we sent you.'),
});

/** Ids arrive as strings from forms and as numbers from tRPC. */
export const userId = z.coerce
	.number({ error: 'That is not a user id.' })
	.int('That is not a user id.')
	.positive('That is not a user id.')
	.max(2_147_483_647, 'That is not a user id.');

export const contactIdForm = z.object({ contactId: userId });

/** The person's own switch for sign-out reminders. */
export const remindersForm = z.object({ reminders: z.enum(['on', 'off'], { error: 'Choose whether you want reminders.' }) });
export const remindersInput = z.object({ on: z.boolean() }).strict();

export const searchInput = z.object({ query: z.string().trim().max(100, 'Search for at most 100 characters.').default('') }).strict();

export const setRoleInput = z
	.object({ userId, role: z.enum(roleNames, { error: 'The role must be staff, marshal or admin.' }) })
	.strict();

export const mergeInput = z
	.object({
		userIds: z
			.array(userId, { error: 'Choose the accounts to merge.' })
			.min(2, 'Choose at least two accounts to merge.')
			.max(20, 'Merge at most 20 accounts at once.'),
	})
	.strict();

export const eraseInput = z
	.object({
		userId,
		/** The person's username typed again, so a wrong id cannot erase the wrong person. */
		confirmUsername: z.string({ error: 'Type the username to confirm.' }).trim().max(150, 'Type the username to confirm.'),
	})
	.strict();

export const userIdInput = z.object({ userId }).strict();

/** The user page's forms: the user id comes from the URL. */
export const roleForm = setRoleInput.pick({ role: true });
export const eraseForm = eraseInput.pick({ confirmUsername: true });

/** The person page's "log out this device": the handle the page was given for the session. */
export const sessionForm = z.object({ session: z.string({ error: 'Choose a device.' }).regex(/^[0-9a-f]{32}$/, 'That is not one of their devices.') }).strict();
