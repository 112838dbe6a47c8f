/**
 * A local stand-in for Microsoft Graph: `GET /me` answers the profile of a
 * known delegated token (401 for an unknown one, 500 for the "broken" token),
 * and `POST /users/{sender}/sendMail` records the message when the bearer is
 * an app token from the client-credentials grant (checked with the identity
 * stand-in that issued it).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningFake } from './registry';

export interface GraphProfile {
	/** The account's object id (the token's `oid`). */
	id?: string;
	mail: string | null;
	givenName: string | null;
	surname: string | null;
	userPrincipalName: string;
	displayName?: string | null;
}

export interface GraphFakeOptions {
	port: number;
	/** Delegated access tokens the app sends to /me, and whose profile each opens. */
	profiles: Record<string, GraphProfile>;
	/** Whether a bearer token is an app token for sendMail (from the identity stand-in). */
	isAppToken(token: string): Promise<boolean>;
}

/** A token /me answers with a 500, to prove the caller's handling of a broken Graph. */
export const BROKEN_GRAPH_TOKEN = 'graph-token-that-breaks-the-server';
const BROKEN_SIGNATURE = 'YnJva2Vu';

/** A JWT-shaped token (as Entra issues) with these claims that /me answers with a 500. */
export function brokenGraphToken(claims: Record<string, unknown>): string {
	const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	return `${part({ typ: 'JWT', alg: 'RS256' })}.${part(claims)}.${BROKEN_SIGNATURE}`;
}

export interface CapturedMail {
	sender: string;
	/** sendMail takes JSON (one body) or base64 MIME (any parts). */
	format: 'json' | 'mime';
	to: string[];
	subject: string;
	text: string | null;
	html: string | null;
}

export interface RunningGraphFake extends RunningFake {
	url: string;
	port: number;
	mails(): CapturedMail[];
	/** How many /me calls arrived (to prove a refused token never reached Graph). */
	meCalls(): number;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
	if (body === undefined) {
		res.writeHead(status).end();
		return;
	}
	res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const graphError = (code: string, message: string) => ({ error: { code, message } });

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/** Headers of a MIME entity (unfolded, names lower-cased) and its body. */
function splitEntity(entity: string): { headers: Map<string, string>; body: string } {
	const at = entity.indexOf('\r\n\r\n');
	const head = at < 0 ? entity : entity.slice(0, at);
	const headers = new Map<string, string>();
	for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
	}
	return { headers, body: at < 0 ? '' : entity.slice(at + 4) };
}

function decodeBody(body: string, encoding: string | undefined): string {
	if (encoding?.toLowerCase() === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (encoding?.toLowerCase() === 'quoted-printable') {
		const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => `%${hex}`);
		return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
	}
	return body;
}

/** Just enough MIME reading for what a test checks: recipients, subject, the text and HTML parts. */
function readMime(sender: string, mime: string): CapturedMail {
	const message = splitEntity(mime);
	const parts: Array<{ headers: Map<string, string>; body: string }> = [];
	const boundary = /boundary="?([^";]+)"?/i.exec(message.headers.get('content-type') ?? '')?.[1];
	if (boundary) {
		for (const chunk of message.body.split(`--${boundary}`).slice(1)) {
			if (chunk.startsWith('--')) break;
			parts.push(splitEntity(chunk.replace(/^\r\n/, '')));
		}
	} else {
		parts.push(message);
	}
	const part = (type: string) => {
		const found = parts.find((p) => (p.headers.get('content-type') ?? '').toLowerCase().startsWith(type));
		return found ? decodeBody(found.body.replace(/\r\n$/, ''), found.headers.get('content-transfer-encoding')) : null;
	};
	return {
		sender,
		format: 'mime',
		to: (message.headers.get('to') ?? '').split(',').map((a) => a.trim().replace(/^.*<(.*)>$/, '$1')).filter(Boolean),
		subject: message.headers.get('subject') ?? '',
		text: part('text/plain'),
		html: part('text/html'),
	};
}

interface JsonMail {
	message?: {
		subject?: string;
		body?: { contentType?: string; content?: string };
		toRecipients?: Array<{ emailAddress?: { address?: string } }>;
	};
}

function readJson(sender: string, body: JsonMail): CapturedMail {
	const html = body.message?.body?.contentType?.toLowerCase() === 'html';
	const content = body.message?.body?.content ?? null;
	return {
		sender,
		format: 'json',
		to: (body.message?.toRecipients ?? []).map((r) => r.emailAddress?.address ?? ''),
		subject: body.message?.subject ?? '',
		text: html ? null : content,
		html: html ? content : null,
	};
}

export async function startGraphFake(options: GraphFakeOptions): Promise<RunningGraphFake> {
	const mails: CapturedMail[] = [];
	let meCalls = 0;

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://graph.local');
		const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
		if (req.method === 'GET' && url.pathname === '/me') {
			meCalls += 1;
			if (token === BROKEN_GRAPH_TOKEN || token?.split('.')[2] === BROKEN_SIGNATURE) return send(res, 500, graphError('generalException', 'Something broke.'));
			const profile = token ? options.profiles[token] : undefined;
			if (!profile) return send(res, 401, graphError('InvalidAuthenticationToken', 'Access token validation failure.'));
			return send(res, 200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity', ...profile });
		}
		const sender = /^\/users\/([^/]+)\/sendMail$/.exec(url.pathname)?.[1];
		if (req.method === 'POST' && sender) {
			if (!token || !(await options.isAppToken(token))) {
				return send(res, 401, graphError('InvalidAuthenticationToken', 'Access token is empty or not an app token.'));
			}
			const raw = await readBody(req);
			const from = decodeURIComponent(sender);
			// As Graph does: text/plain means a base64 MIME message, anything else the JSON form.
			const mail = (req.headers['content-type'] ?? '').startsWith('text/plain')
				? readMime(from, Buffer.from(raw, 'base64').toString('utf8'))
				: readJson(from, JSON.parse(raw) as JsonMail);
			if (!mail.to.length) return send(res, 400, graphError('ErrorInvalidRecipients', 'No recipients.'));
			mails.push(mail);
			return send(res, 202);
		}
		send(res, 404, graphError('Request_ResourceNotFound', `No route ${req.method} ${url.pathname}.`));
	}

	const server = createServer((req, res) => {
		void handle(req, res).catch(() => send(res, 400, graphError('BadRequest', 'Unreadable request.')));
	});
	await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		captured: () => mails,
		mails: () => mails,
		meCalls: () => meCalls,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
