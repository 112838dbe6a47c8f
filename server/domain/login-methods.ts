/**
 * Login methods behind one interface. A method is offered only when it is
 * configured; the development console method is on while no real method is
 * (so a fresh install is usable) unless DEV_LOGIN says otherwise.
 */
import { config } from '../config';
import { printLoginCode } from '../notify/console.notifier';
import { parseEmailOrPhone, type ContactInput } from './contacts';
import { DomainError } from './errors';

export interface CodeLoginMethod {
	id: string;
	/** The link text on /login. */
	label: string;
	/** The label of the contact field. */
	contactLabel: string;
	hint: string;
	parseContact(raw: string): ContactInput;
	deliver(contact: ContactInput, code: string): Promise<void>;
}

const development: CodeLoginMethod = {
	id: 'dev',
	label: 'Development',
	contactLabel: 'Email or phone',
	hint: 'The code is printed on the server console. For development only.',
	parseContact(raw) {
		if (raw.trim().toLowerCase() === 'fail') {
			throw new DomainError('invalid-input', 'This is a sample validation error: you entered "fail".', 'contact');
		}
		return parseEmailOrPhone(raw);
	},
	async deliver(contact, code) {
		printLoginCode(contact, code);
	},
};

export function loginMethods(): CodeLoginMethod[] {
	return config().devLogin ? [development] : [];
}

export function loginMethod(id: string): CodeLoginMethod | undefined {
	return loginMethods().find((m) => m.id === id);
}
