import type { Config } from '../../../config';
import { emailConfigured, sendEmail } from '../../../notify/email.notifier';
import { loginCodeEmail } from '../../../notify/login-code.messages';
import { parseEmail } from '../contacts';
import { CODE_TTL_MS } from '../login-codes';
import type { CodeLoginMethod } from './types';

/** Codes by email: through SMTP, or Microsoft Graph sendMail when only that is configured. */
export function emailMethod(settings: Config): CodeLoginMethod | undefined {
	if (!emailConfigured(settings)) return undefined;
	return {
		kind: 'code',
		id: 'email',
		label: 'Email',
		contactLabel: 'Email address',
		inputMode: 'email',
		hint: 'We will email you a 6-digit code.',
		parseContact: parseEmail,
		async deliver(contact, code) {
			const content = loginCodeEmail(code, { appName: settings.buildingName, validMinutes: CODE_TTL_MS / 60_000 });
			await sendEmail({ to: contact.value, ...content });
		},
	};
}
