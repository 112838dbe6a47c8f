import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Config } from '../../../config';
import { loginCodeSms } from '../../../notify/login-code.messages';
import { sendSms } from '../../../notify/sms.notifier';
import { parsePhone, type ContactInput } from '../contacts';
import { DomainError } from '../../shared/errors';
import type { CodeLoginMethod } from './types';

// Types of number that can receive a text; libphonenumber cannot tell some countries' mobiles from landlines.
const textable = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE', 'PERSONAL_NUMBER', undefined]);

/** A valid number (E.164) that can receive text messages, read in SMS_REGION when it has no country code. */
export function parseMobile(raw: string, region: string): ContactInput {
	if (!raw.trim()) throw new DomainError('invalid-input', 'Enter your mobile number.', 'contact');
	const contact = parsePhone(raw, region);
	if (!textable.has(parsePhoneNumberFromString(contact.value)?.getType())) {
		throw new DomainError('invalid-input', 'That number cannot receive text messages: enter a mobile number.', 'contact');
	}
	return contact;
}

/** Codes by text message through Twilio. */
export function smsMethod(settings: Config): CodeLoginMethod | undefined {
	if (!settings.twilio) return undefined;
	return {
		kind: 'code',
		id: 'sms',
		label: 'Text message',
		contactLabel: 'Mobile number',
		inputMode: 'tel',
		hint: 'We will text you a 6-digit code.',
		parseContact: (raw) => parseMobile(raw, settings.smsRegion),
		async deliver(contact, code) {
			await sendSms(contact.value, loginCodeSms(code));
		},
	};
}
