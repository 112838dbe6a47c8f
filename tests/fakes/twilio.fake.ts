/**
 * A local stand-in for Twilio's REST API: answers POST
 * /2010-04-01/Accounts/{sid}/Messages.json like Twilio does, and records the
 * form the twilio SDK posted (To, From, Body) with the Basic auth user.
 * Messages to TWILIO_REFUSED_NUMBER, and to any number a test names with
 * `refuse(number)`, get Twilio's 400 error, as for a number that cannot
 * receive texts.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningFake } from './registry';

/** A valid UK mobile number the fake refuses with Twilio's error 21211. */
export const TWILIO_REFUSED_NUMBER = '+447911000400';

export interface CapturedSms {
	/** The account in the URL path, and the Basic auth user and password. */
	accountSid: string;
	authUser: string;
	authPassword: string;
	to: string;
	from: string;
	body: string;
	refused: boolean;
}

export interface RunningTwilioFake extends RunningFake {
	url: string;
	port: number;
	captured(): CapturedSms[];
	/** From now on, texts to this number are refused as TWILIO_REFUSED_NUMBER's are. */
	refuse(number: string): void;
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function basicAuth(header: string | undefined): { user: string; password: string } {
	const encoded = /^Basic (.+)$/i.exec(header ?? '')?.[1];
	if (!encoded) return { user: '', password: '' };
	const decoded = Buffer.from(encoded, 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function json(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startTwilioFake(port = 0): Promise<RunningTwilioFake> {
	const messages: CapturedSms[] = [];
	const refused = new Set([TWILIO_REFUSED_NUMBER]);
	const server = createServer((req, res) => {
		void (async () => {
			const accountSid = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '')?.[1];
			if (req.method !== 'POST' || !accountSid) {
				json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
				return;
			}
			const form = new URLSearchParams(await readBody(req));
			const auth = basicAuth(req.headers.authorization);
			const message = {
				accountSid,
				authUser: auth.user,
				authPassword: auth.password,
				to: form.get('To') ?? '',
				from: form.get('From') ?? '',
				body: form.get('Body') ?? '',
				refused: refused.has(form.get('To') ?? ''),
			};
			messages.push(message);
			if (message.refused) {
				json(res, 400, {
					code: 21211,
					message: `The 'To' number ${message.to} is not a valid phone number.`,
					more_info: 'https://www.twilio.com/docs/errors/21211',
					status: 400,
				});
				return;
			}
			const now = new Date().toUTCString();
			json(res, 201, {
				sid: `SM${randomBytes(16).toString('hex')}`,
				account_sid: accountSid,
				to: message.to,
				from: message.from,
				body: message.body,
				status: 'queued',
				direction: 'outbound-api',
				num_segments: '1',
				date_created: now,
				date_updated: now,
				date_sent: null,
				price: null,
				price_unit: 'USD',
				error_code: null,
				error_message: null,
				api_version: '2010-04-01',
				uri: `/2010-04-01/Accounts/${accountSid}/Messages/SM.json`,
			});
		})().catch(() => json(res, 500, { code: 20500, message: 'Internal Server Error', status: 500 }));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	const actual = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${actual}`,
		port: actual,
		captured: () => messages,
		refuse: (number) => void refused.add(number),
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
