import { describe, expect, it } from 'vitest';
import { waitMessage } from '../../server/domain/identity/rate-limits';
import { loginCodeEmail, loginCodeSms } from '../../server/notify/login-code.messages';

describe('login code text message', () => {
	it('is exactly the original wording', () => {
		expect(loginCodeSms('123456')).toBe("Your one-time code is: 123456. Don't share this code with anyone.");
	});
});

describe('login code email', () => {
	const email = loginCodeEmail('654321', { appName: 'Building Register', validMinutes: 15 });

	it('names the app in the subject', () => {
		expect(email.subject).toBe('Your Building Register login code');
	});

	it('gives the code, its 15 minutes and the advice to ignore an unexpected message, in plain text', () => {
		expect(email.text).toContain('Your login code for Building Register is: 654321');
		expect(email.text).toContain('It is valid for 15 minutes.');
		expect(email.text).toContain('If you were not expecting this message, you can safely ignore it');
		expect(email.text).not.toContain('<');
	});

	it('says the same in HTML', () => {
		expect(email.html).toContain('>654321</p>');
		expect(email.html).toContain('It is valid for 15 minutes.');
		expect(email.html).toContain('If you were not expecting this message, you can safely ignore it');
	});

	it('escapes the values it puts into the HTML body', () => {
		const odd = loginCodeEmail('<b>1</b>', { appName: 'R&D "Lab" <Tower>', validMinutes: 15 });
		expect(odd.html).toContain('R&amp;D &quot;Lab&quot; &lt;Tower&gt;');
		expect(odd.html).toContain('&lt;b&gt;1&lt;/b&gt;');
		expect(odd.html).not.toContain('<Tower>');
		expect(odd.html).not.toContain('<b>1</b>');
		expect(odd.text).toContain('R&D "Lab" <Tower>');
	});
});

describe('rate-limit refusal', () => {
	it('rounds the wait up to whole minutes', () => {
		expect(waitMessage(14 * 60_000 + 1)).toBe('Too many attempts: wait 15 minutes.');
		expect(waitMessage(120_000)).toBe('Too many attempts: wait 2 minutes.');
	});

	it('says at least one minute, in the singular', () => {
		expect(waitMessage(0)).toBe('Too many attempts: wait 1 minute.');
		expect(waitMessage(59_000)).toBe('Too many attempts: wait 1 minute.');
	});
});
