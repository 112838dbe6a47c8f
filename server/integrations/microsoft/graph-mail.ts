/**
 * Email through Microsoft Graph: `POST {graph}/users/{EMAIL_SENDER}/sendMail`
 * with an app-only token from the client-credentials grant at the
 * authority's token endpoint (found by discovery). The message goes as MIME
 * (built by nodemailer), so it keeps both its plain-text and HTML bodies; the
 * JSON form of sendMail carries only one. Tokens are reused until a minute
 * before they expire.
 */
import nodemailer from 'nodemailer';
import * as oidc from 'openid-client';
import type { MicrosoftConfig } from '../../config';
import { DomainError } from '../../domain/shared/errors';
import { microsoftClient } from './oidc-client';
import { logger } from '../../logger';
import type { EmailMessage, EmailTransport } from '../../notify/email.notifier';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const REFRESH_MARGIN_MS = 60_000;
const SEND_TIMEOUT_MS = 15_000;

interface CachedToken {
	value: string;
	expiresAt: number;
}
const tokens = new Map<string, Promise<CachedToken>>();
const tokenKey = (settings: MicrosoftConfig) => JSON.stringify([settings.authority, settings.clientId, settings.clientSecret]);

async function fetchAppToken(settings: MicrosoftConfig): Promise<CachedToken> {
	const response = await oidc.clientCredentialsGrant(await microsoftClient(settings), { scope: GRAPH_SCOPE });
	// Entra always says how long the token lives; an hour is its usual answer if one ever does not.
	const lifetimeS = response.expires_in ?? 3600;
	return { value: response.access_token, expiresAt: Date.now() + lifetimeS * 1000 };
}

/** The app-only Graph token, fetched once and shared until shortly before it expires. */
export async function graphAppToken(settings: MicrosoftConfig): Promise<string> {
	const key = tokenKey(settings);
	const cached = tokens.get(key);
	if (cached) {
		const token = await cached.catch(() => undefined);
		if (token && token.expiresAt - REFRESH_MARGIN_MS > Date.now()) return token.value;
		if (tokens.get(key) === cached) tokens.delete(key);
	}
	let pending = tokens.get(key);
	if (!pending) {
		pending = fetchAppToken(settings);
		tokens.set(key, pending);
		pending.catch(() => tokens.delete(key));
	}
	return (await pending).value;
}

/** The message as RFC 5322 MIME: multipart/alternative with the text and HTML bodies. */
async function toMime(sender: string, message: EmailMessage): Promise<Buffer> {
	const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
	const built = await composer.sendMail({ from: sender, to: message.to, subject: message.subject, text: message.text, html: message.html });
	return built.message as Buffer;
}

const couldNotSend = () => new DomainError('unavailable', 'We could not send the email: please try again.');

export async function sendGraphMail(settings: MicrosoftConfig, sender: string, message: EmailMessage): Promise<void> {
	const url = `${settings.graphUrl.replace(/\/+$/, '')}/users/${encodeURIComponent(sender)}/sendMail`;
	let status: number;
	let detail = '';
	try {
		const token = await graphAppToken(settings);
		const response = await fetch(url, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
			body: (await toMime(sender, message)).toString('base64'),
			signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
		});
		status = response.status;
		if (!response.ok) detail = (await response.text().catch(() => '')).slice(0, 500);
	} catch (error) {
		logger().error({ err: error, channel: 'graph-mail' }, 'Graph sendMail failed before an answer');
		throw couldNotSend();
	}
	if (status !== 202 && status !== 200) {
		// A refused token (revoked, or its permissions changed) must not be reused until it expires.
		if (status === 401) tokens.delete(tokenKey(settings));
		logger().error({ status, detail, channel: 'graph-mail' }, 'Graph sendMail refused the message');
		throw couldNotSend();
	}
}

export function graphMailTransport(settings: MicrosoftConfig, sender: string): EmailTransport {
	return (message) => sendGraphMail(settings, sender, message);
}
