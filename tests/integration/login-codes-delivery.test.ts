import { Sequelize } from 'sequelize';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { config, resetConfig } from '../../server/config';
import { database } from '../../server/db/database';
import { sqlite3Compatible } from '../../server/db/sqlite-sync-connection';
import { ContactDetail, LoginCode } from '../../server/db/models/people.model';
import type { AuditInput } from '../../server/domain/shared/audit';
import type { ContactInput } from '../../server/domain/identity/contacts';
import { logInWithCode, requestCode } from '../../server/domain/identity/login';
import { issueLoginCode } from '../../server/domain/identity/login-codes';
import { codeLoginMethod, loginMethods, type CodeLoginMethod } from '../../server/domain/identity/login-methods';
import { limitsOf, RATE_LIMITS, rateLimitsFor } from '../../server/domain/identity/rate-limits';
import { startSmtpFake, type RunningSmtpFake } from '../fakes/smtp.fake';
import { startTwilioFake, TWILIO_REFUSED_NUMBER, type RunningTwilioFake } from '../fakes/twilio.fake';
import { useTestDatabase } from './support/database';

const db = await useTestDatabase();

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const SMS_CODE = /^Your one-time code is: (\d{6})\. Don't share this code with anyone\.$/;
const TOO_MANY = /^Too many attempts: wait (\d+) minutes?\.$/;

let smtp: RunningSmtpFake;
let twilio: RunningTwilioFake;

beforeAll(async () => {
	smtp = await startSmtpFake(0);
	twilio = await startTwilioFake(0);
	resetConfig({
		...config(),
		devLogin: false,
		smtp: { url: smtp.url, from: 'Building Register <register@example.org>' },
		twilio: { accountSid: ACCOUNT_SID, authToken: 'twilio-secret', sender: 'SF-REG', apiUrl: twilio.url },
		smsRegion: 'GB',
	});
});

afterAll(async () => {
	await smtp?.close();
	await twilio?.close();
});

// Every test speaks from addresses and contacts of its own, so the limits of one never touch another.
let n = 0;
let ips = 0;
const from = (): AuditInput => ({ ip: `10.0.${Math.floor(++ips / 250)}.${(ips % 250) + 1}`, userAgent: 'vitest', source: 'web' });
const freshEmail = () => `person${++n}.${Date.now()}@example.com`;
const freshMobile = () => `07400 ${String(100_000 + ++n * 37).padStart(6, '0')}`;
const method = (id: string): CodeLoginMethod => {
	const found = codeLoginMethod(id);
	if (!found) throw new Error(`login method ${id} is not configured`);
	return found;
};
const mailsTo = (address: string) => smtp.captured().filter((m) => m.to.includes(address));
const textsTo = (number: string) => twilio.captured().filter((m) => m.to === number);
const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)?.[1] ?? '';

/** A code method that keeps the codes it is given: for tests about limits, not about delivery. */
function recordingMethod(): CodeLoginMethod & { codes: Map<string, string> } {
	const codes = new Map<string, string>();
	return {
		kind: 'code',
		id: 'recording',
		label: 'Recording',
		contactLabel: 'Email',
		inputMode: 'email',
		hint: '',
		parseContact: (raw) => method('email').parseContact(raw),
		async deliver(contact: ContactInput, code: string) {
			codes.set(contact.value, code);
		},
		codes,
	};
}

db.describe(`login code delivery (${db.dialect})`, () => {
	it('offers Email and Text message when SMTP and Twilio are configured', () => {
		expect(loginMethods().map((m) => [m.id, m.label])).toEqual([
			['email', 'Email'],
			['sms', 'Text message'],
		]);
	});

	it('emails the code through SMTP with the subject, a plain-text and an HTML body, and it logs in', async () => {
		const address = freshEmail();
		const sent = await requestCode(method('email'), ` ${address.toUpperCase()} `, from());
		expect(sent).toEqual({ contact: address, needsName: true });
		const [mail, ...more] = mailsTo(address);
		expect(more).toHaveLength(0);
		expect(mail!.from).toBe('Building Register <register@example.org>');
		expect(mail!.subject).toBe('Your Building Register login code');
		const code = codeIn(mail!.text);
		expect(code).toMatch(/^\d{6}$/);
		expect(mail!.text).toContain(`Your login code for Building Register is: ${code}`);
		expect(mail!.text).toContain('It is valid for 15 minutes.');
		expect(mail!.text).toContain('If you were not expecting this message, you can safely ignore it');
		expect(mail!.html).toMatch(/^<!doctype html>/);
		expect(mail!.html).toContain(`>${code}</p>`);
		expect(mail!.html).toContain('valid for 15 minutes');

		const { user } = await logInWithCode(method('email'), { rawContact: address, code, firstName: 'Ada', lastName: 'Mail', audit: from() });
		expect(user.firstName).toBe('Ada');
	});

	it('texts the code through Twilio to the E.164 number, from the sender, with the exact body and the account credentials', async () => {
		const typed = freshMobile();
		const e164 = `+44${typed.replace(/\s/g, '').slice(1)}`;
		const sent = await requestCode(method('sms'), typed, from());
		expect(sent.contact).toBe(e164);
		const [text, ...more] = textsTo(e164);
		expect(more).toHaveLength(0);
		expect(text).toMatchObject({ accountSid: ACCOUNT_SID, authUser: ACCOUNT_SID, authPassword: 'twilio-secret', from: 'SF-REG' });
		const code = SMS_CODE.exec(text!.body)?.[1];
		expect(code).toMatch(/^\d{6}$/);

		const { user } = await logInWithCode(method('sms'), { rawContact: typed, code: code!, firstName: 'Sam', lastName: 'Text', audit: from() });
		expect(user.lastName).toBe('Text');
	});

	it('turns a Twilio refusal into a clear unavailable error and keeps the code sent before', async () => {
		const contact = method('sms').parseContact(TWILIO_REFUSED_NUMBER);
		const earlier = await issueLoginCode(contact);
		const before = await LoginCode.findOne({ where: { contactId: earlier.contactId } });

		await expect(requestCode(method('sms'), TWILIO_REFUSED_NUMBER, from())).rejects.toMatchObject({
			code: 'unavailable',
			message: 'We could not send the text message: please try again.',
		});
		expect(textsTo(TWILIO_REFUSED_NUMBER).at(-1)?.refused).toBe(true);
		const after = await LoginCode.findOne({ where: { contactId: earlier.contactId } });
		expect(after!.codeHash).toBe(before!.codeHash);
		const { user } = await logInWithCode(method('sms'), { rawContact: TWILIO_REFUSED_NUMBER, code: earlier.code, firstName: 'Kept', lastName: 'Code', audit: from() });
		expect(user.firstName).toBe('Kept');
	});

	it('turns an SMTP server that cannot be reached into a clear unavailable error and stores no code', async () => {
		const address = freshEmail();
		resetConfig({ ...config(), smtp: { url: 'smtp://127.0.0.1:1', from: 'register@example.org' } });
		try {
			await expect(requestCode(method('email'), address, from())).rejects.toMatchObject({
				code: 'unavailable',
				message: 'We could not send the email: please try again.',
			});
		} finally {
			resetConfig({ ...config(), smtp: { url: smtp.url, from: 'Building Register <register@example.org>' } });
		}
		expect(await ContactDetail.count({ where: { method: 'email', value: address } })).toBe(0);
	});

	it('refuses a number that is not valid, or cannot take texts, before anything is sent or stored', async () => {
		const texts = twilio.captured().length;
		for (const [typed, message] of [
			['12345', 'Enter a valid phone number, like 07911 123456 or +44 7911 123456.'],
			['07700 900123', 'Enter a valid phone number, like 07911 123456 or +44 7911 123456.'],
			['020 7946 0000', 'That number cannot receive text messages: enter a mobile number.'],
			['', 'Enter your mobile number.'],
		] as const) {
			await expect(requestCode(method('sms'), typed, from())).rejects.toMatchObject({ code: 'invalid-input', field: 'contact', message });
		}
		expect(twilio.captured()).toHaveLength(texts);
		expect(await ContactDetail.count({ where: { value: ['+4412345', '+447700900123', '+442079460000'] } })).toBe(0);
	});

	it('refuses a malformed email address before anything is sent', async () => {
		const mails = smtp.captured().length;
		await expect(requestCode(method('email'), 'not-an-address', from())).rejects.toMatchObject({ code: 'invalid-input', field: 'contact' });
		expect(smtp.captured()).toHaveLength(mails);
	});
});

db.describe(`login code rate limits (${db.dialect})`, () => {
	const perContact = RATE_LIMITS['code-request'].perContact.points;

	it('refuses the sixth code request for one contact within 15 minutes, while another contact from another IP still gets one', async () => {
		const address = freshEmail();
		for (let i = 0; i < perContact; i += 1) await requestCode(method('email'), address, from());
		const refusal = await requestCode(method('email'), address, from()).catch((error: unknown) => error);
		expect(refusal).toMatchObject({ code: 'rate-limited', message: expect.stringMatching(TOO_MANY) });
		const minutes = Number(TOO_MANY.exec((refusal as Error).message)![1]);
		expect(minutes).toBeGreaterThanOrEqual(14);
		expect(minutes).toBeLessThanOrEqual(15);
		expect(mailsTo(address)).toHaveLength(perContact);

		const other = freshEmail();
		await requestCode(method('email'), other, from());
		expect(mailsTo(other)).toHaveLength(1);
	});

	it('counts simultaneous requests exactly: of eight at once for one contact, five get a code', async () => {
		const recording = recordingMethod();
		const address = freshEmail();
		const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => requestCode(recording, address, from())));
		expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(perContact);
		for (const refused of outcomes.filter((o) => o.status === 'rejected')) expect(refused.reason).toMatchObject({ code: 'rate-limited' });
		const contact = await ContactDetail.findOne({ where: { method: 'email', value: address } });
		expect(await LoginCode.count({ where: { contactId: contact!.id } })).toBe(1);
	});

	it('limits code requests per IP across different contacts', async () => {
		const recording = recordingMethod();
		const office = from();
		resetConfig({ ...config(), loginCodesPerIp: 7 });
		const perIp = limitsOf('code-request').perIp.points;
		expect(perIp).toBe(7);
		for (let i = 0; i < perIp; i += 1) await requestCode(recording, freshEmail(), office);
		const refused = freshEmail();
		await expect(requestCode(recording, refused, office)).rejects.toMatchObject({ code: 'rate-limited', message: expect.stringMatching(TOO_MANY) });
		expect(recording.codes.has(refused)).toBe(false);
		await requestCode(recording, refused, from());
		expect(recording.codes.has(refused)).toBe(true);
		resetConfig({ ...config(), loginCodesPerIp: 100 });
	});

	it('limits wrong guesses per contact, refusing even the right code until the window ends', async () => {
		const recording = recordingMethod();
		const address = freshEmail();
		const guess = (code: string) => logInWithCode(recording, { rawContact: address, code, firstName: 'G', lastName: 'Uess', audit: from() });
		const perContactGuesses = RATE_LIMITS['code-guess'].perContact.points;
		for (let i = 0; i < perContactGuesses; i += 1) {
			await expect(guess('000000')).rejects.toMatchObject({ code: expect.stringMatching(/^(code-invalid|too-many-attempts)$/) });
		}
		await requestCode(recording, address, from());
		await expect(guess(recording.codes.get(address)!)).rejects.toMatchObject({ code: 'rate-limited', message: expect.stringMatching(TOO_MANY) });
	});

	it('limits wrong guesses per IP across contacts', async () => {
		const recording = recordingMethod();
		const office = from();
		const perIp = RATE_LIMITS['code-guess'].perIp.points;
		const contacts = Array.from({ length: 4 }, freshEmail);
		for (let i = 0; i < perIp; i += 1) {
			await expect(logInWithCode(recording, { rawContact: contacts[i % 4]!, code: '000000', audit: office })).rejects.toMatchObject({ code: 'code-invalid' });
		}
		const address = freshEmail();
		await requestCode(recording, address, from());
		const code = recording.codes.get(address)!;
		await expect(logInWithCode(recording, { rawContact: address, code, firstName: 'A', lastName: 'B', audit: office })).rejects.toMatchObject({ code: 'rate-limited' });
		await expect(logInWithCode(recording, { rawContact: address, code, firstName: 'A', lastName: 'B', audit: from() })).resolves.toHaveProperty('sessionToken');
	});

	it('gives back the guess when the code is right, so logging in does not use up the allowance', async () => {
		const recording = recordingMethod();
		const address = freshEmail();
		const perContactGuesses = RATE_LIMITS['code-guess'].perContact.points;
		for (let i = 0; i < perContactGuesses - 1; i += 1) {
			await expect(logInWithCode(recording, { rawContact: address, code: '000000', audit: from() })).rejects.toMatchObject({ code: 'code-invalid' });
		}
		for (const round of [1, 2]) {
			await requestCode(recording, address, from());
			const login = logInWithCode(recording, { rawContact: address, code: recording.codes.get(address)!, firstName: 'R', lastName: `Round${round}`, audit: from() });
			await expect(login).resolves.toHaveProperty('sessionToken');
		}
	});

	it('keeps the counts in the database, so two instances on one database share them', async () => {
		const target = db.target();
		const second =
			target.dialect === 'sqlite'
				? new Sequelize({ dialect: 'sqlite', dialectModule: sqlite3Compatible, storage: target.storage, logging: false })
				: new Sequelize(target.url, { dialect: 'mysql', logging: false, timezone: '+00:00' });
		try {
			const one = rateLimitsFor(database());
			const two = rateLimitsFor(second);
			const requester = { contact: { method: 'email' as const, value: freshEmail() }, ip: null };
			for (let i = 0; i < perContact; i += 1) await (i % 2 ? two : one).consume('code-request', requester);
			await expect(one.consume('code-request', requester)).rejects.toMatchObject({ code: 'rate-limited' });
			await expect(two.consume('code-request', requester)).rejects.toMatchObject({ code: 'rate-limited' });

			const [rows] = await second.query('SELECT * FROM rate_limits');
			const keys = (rows as Array<{ key: string }>).map((row) => row.key);
			expect(keys.some((key) => key.startsWith('code-request:contact:'))).toBe(true);
			expect(keys.some((key) => key.includes(requester.contact.value))).toBe(false);
		} finally {
			await second.close();
		}
	});
});
