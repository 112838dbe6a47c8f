import type { Config } from '../../../config';
import { printLoginCode } from '../../../notify/console.notifier';
import { parseEmailOrPhone } from '../contacts';
import { DomainError } from '../../shared/errors';
import type { CodeLoginMethod } from './types';

/** The development console: codes are printed where the server runs. */
export function developmentMethod(config: Config): CodeLoginMethod | undefined {
	if (!config.devLogin) return undefined;
	return {
		kind: 'code',
		id: 'dev',
		label: 'Development',
		contactLabel: 'Email or phone',
		inputMode: 'text',
		hint: 'The code is printed on the server console. For development only.',
		parseContact(raw) {
			// The sample error exists only off a real deployment (no ORIGIN), where the e2e tests use it.
			if (!config.origin && raw.trim().toLowerCase() === 'fail') {
				throw new DomainError('invalid-input', 'This is a sample validation error: you entered "fail".', 'contact');
			}
			return parseEmailOrPhone(raw);
		},
		async deliver(contact, code) {
			printLoginCode(contact, code);
		},
	};
}
