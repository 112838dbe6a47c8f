/** Login form inputs. No Node or DOM imports. */
import { z } from 'zod';

const contact = z
	.string({ error: 'Enter your email address or phone number.' })
	.trim()
	.min(1, 'Enter your email address or phone number.')
	.max(254, 'That is too long for an email address or phone number.');

const name = (label: string) =>
	z.string().trim().max(100, `${label} must be at most 100 characters.`).optional();

export const requestCodeForm = z.object({ contact });

export const verifyCodeForm = z.object({
	contact,
	code: z
		.string({ error: 'Enter the 6-digit code.' })
		.trim()
		.regex(/^\d{6}$/, 'The code is the 6 digits we sent you.'),
	firstName: name('First name'),
	lastName: name('Last name'),
});
