/**
 * The words of the login-code messages, as pure functions so their texts are
 * tested without a mail server or Twilio. Wording follows the original app.
 */

export interface EmailContent {
	subject: string;
	text: string;
	html: string;
}

const escapeHtml = (value: string): string =>
	value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The SMS body, exactly as the original sent it. */
export function loginCodeSms(code: string): string {
	return `Your one-time code is: ${code}. Don't share this code with anyone.`;
}

export function loginCodeEmail(code: string, options: { appName: string; validMinutes: number }): EmailContent {
	const { appName, validMinutes } = options;
	const subject = `Your ${appName} login code`;
	const text = [
		'Hello,',
		'',
		`Your login code for ${appName} is: ${code}`,
		'',
		`It is valid for ${validMinutes} minutes. Don't share this code with anyone.`,
		'',
		'If you were not expecting this message, you can safely ignore it: nobody can log in without the code.',
		'',
	].join('\r\n');
	const name = escapeHtml(appName);
	const html = [
		'<!doctype html>',
		`<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
		'<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a">',
		'<p>Hello,</p>',
		`<p>Your login code for ${name} is:</p>`,
		`<p style="font-size: 2em; font-weight: bold; letter-spacing: 0.2em">${escapeHtml(code)}</p>`,
		`<p>It is valid for ${validMinutes} minutes. Don't share this code with anyone.</p>`,
		'<p style="color: #555">If you were not expecting this message, you can safely ignore it: nobody can log in without the code.</p>',
		'</body></html>',
		'',
	].join('\r\n');
	return { subject, text, html };
}
