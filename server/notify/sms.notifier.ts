/**
 * Text messages through Twilio's Messages API with the twilio SDK. TWILIO_API_URL
 * points the SDK somewhere else (the local stand-in in tests). A refusal or an
 * unreachable Twilio is logged and becomes one clear 'unavailable' refusal.
 */
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { config, type TwilioConfig } from '../config';
import { DomainError } from '../domain/shared/errors';
import { logger } from '../logger';

const TWILIO_API = 'https://api.twilio.com';

/** Sends every request the SDK makes to `baseUrl` instead of api.twilio.com, keeping path and query. */
class RedirectingRequestClient extends twilio.RequestClient {
	constructor(private readonly baseUrl: string) {
		super({ timeout: 15_000 });
	}

	override request<TData>(opts: RequestClient.RequestOptions<TData>) {
		const target = new URL(opts.uri);
		const uri = `${this.baseUrl.replace(/\/+$/, '')}${target.pathname}${target.search}`;
		return super.request<TData>({ ...opts, uri });
	}
}

// One client per account and endpoint: tests (and a changed config) get a fresh one.
const clients = new Map<string, twilio.Twilio>();

function client(settings: TwilioConfig): twilio.Twilio {
	const key = `${settings.accountSid}|${settings.authToken}|${settings.apiUrl ?? TWILIO_API}`;
	let existing = clients.get(key);
	if (!existing) {
		const httpClient = settings.apiUrl ? new RedirectingRequestClient(settings.apiUrl) : new twilio.RequestClient({ timeout: 15_000 });
		existing = twilio(settings.accountSid, settings.authToken, { httpClient });
		clients.set(key, existing);
	}
	return existing;
}

export const smsConfigured = (): boolean => config().twilio !== undefined;

/** Sends `body` to an E.164 number from the configured sender (a number or an alphanumeric sender ID). */
export async function sendSms(to: string, body: string): Promise<void> {
	const settings = config().twilio;
	if (!settings) throw new DomainError('unavailable', 'Text messages are not configured on this server.');
	try {
		await client(settings).messages.create({ to, from: settings.sender, body });
	} catch (error) {
		const details = error instanceof twilio.RestException ? { status: error.status, code: error.code, reason: error.message } : { err: error };
		logger().error({ ...details, channel: 'sms' }, 'text message delivery failed');
		throw new DomainError('unavailable', 'We could not send the text message: please try again.');
	}
}
