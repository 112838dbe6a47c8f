/** Contact details: parsing what a person types into a normalised (method, value). */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';
import { config } from '../../config';
import type { ContactMethod } from '../../db/models/people.model';
import { DomainError } from '../shared/errors';

export interface ContactInput {
	method: Extract<ContactMethod, 'email' | 'sms'>;
	value: string;
}

const email = z.email();

export function parseEmail(raw: string): ContactInput {
	const value = raw.trim().toLowerCase();
	if (value.length > 254 || !email.safeParse(value).success) {
		throw new DomainError('invalid-input', 'Enter a valid email address, like name@example.com.', 'contact');
	}
	return { method: 'email', value };
}

const invalidPhone = (region: string) =>
	region === 'GB'
		? 'Enter a valid phone number, like 07911 123456 or +44 7911 123456.'
		: 'Enter a valid phone number, with its country code if it is from abroad (like +44 7911 123456).';

/** Numbers without a country code are read in SMS_REGION (GB by default); stored in E.164 form. */
export function parsePhone(raw: string, defaultRegion: string = config().smsRegion): ContactInput {
	const phone = parsePhoneNumberFromString(raw.trim(), defaultRegion as CountryCode);
	if (!phone || !phone.isValid()) throw new DomainError('invalid-input', invalidPhone(defaultRegion), 'contact');
	return { method: 'sms', value: phone.number };
}

/** An email address if it has an @, otherwise a phone number. */
export function parseEmailOrPhone(raw: string): ContactInput {
	const trimmed = raw.trim();
	if (!trimmed) throw new DomainError('invalid-input', 'Enter your email address or phone number.', 'contact');
	if (trimmed.length > 254) throw new DomainError('invalid-input', 'That is too long for an email address or phone number.', 'contact');
	return trimmed.includes('@') ? parseEmail(trimmed) : parsePhone(trimmed);
}
