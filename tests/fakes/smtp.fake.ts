/**
 * A local stand-in for an SMTP relay: smtp-server on 127.0.0.1 (no TLS, any
 * or no login) that keeps every message it accepts. nodemailer talks real
 * SMTP to it; the message is decoded here just enough for tests to read the
 * subject and both bodies (multipart/alternative, quoted-printable or base64).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { RunningFake } from './registry';

export interface CapturedEmail {
	/** The envelope sender and recipients (MAIL FROM, RCPT TO). */
	envelopeFrom: string;
	to: string[];
	/** Header values. */
	from: string;
	subject: string;
	text: string;
	html: string;
	raw: string;
}

export interface RunningSmtpFake extends RunningFake {
	url: string;
	port: number;
	captured(): CapturedEmail[];
}

interface Part {
	headers: Map<string, string>;
	body: string;
}

function parsePart(raw: string): Part {
	const split = raw.search(/\r?\n\r?\n/);
	const head = split === -1 ? raw : raw.slice(0, split);
	const body = split === -1 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
	const headers = new Map<string, string>();
	// Folded header lines continue with whitespace.
	for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
	}
	return { headers, body };
}

function decodeBody(part: Part): string {
	const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
	if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (encoding === 'quoted-printable') {
		// Escape literal % first, then turn =XX into %XX so decodeURIComponent rebuilds UTF-8.
		const escaped = part.body.replace(/=\r?\n/g, '').replace(/%/g, '%25');
		return decodeURIComponent(escaped.replace(/=([0-9A-F]{2})/gi, '%$1'));
	}
	return part.body;
}

/** "=?UTF-8?Q?...?=" and "=?UTF-8?B?...?=" words in a header. */
function decodeHeader(value: string): string {
	return value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
		kind.toUpperCase() === 'B'
			? Buffer.from(text, 'base64').toString('utf8')
			: decodeURIComponent(text.replace(/%/g, '%25').replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, '%$1')),
	);
}

/** The text/plain and text/html bodies of a message, looking one level into multipart parts. */
function bodies(message: Part): { text: string; html: string } {
	const found = { text: '', html: '' };
	const visit = (part: Part, depth: number) => {
		const type = (part.headers.get('content-type') ?? 'text/plain').toLowerCase();
		const boundary = /boundary="?([^";]+)"?/i.exec(part.headers.get('content-type') ?? '')?.[1];
		if (type.startsWith('multipart/') && boundary && depth < 3) {
			const pieces = part.body.split(`--${boundary}`).slice(1);
			for (const piece of pieces) {
				if (piece.startsWith('--')) break;
				visit(parsePart(piece.replace(/^\r?\n/, '')), depth + 1);
			}
		} else if (type.startsWith('text/html')) found.html ||= decodeBody(part);
		else if (type.startsWith('text/plain')) found.text ||= decodeBody(part);
	};
	visit(message, 0);
	return { text: found.text.replace(/\r?\n$/, ''), html: found.html.replace(/\r?\n$/, '') };
}

export function parseEmail(raw: string, envelopeFrom: string, to: string[]): CapturedEmail {
	const message = parsePart(raw);
	return {
		envelopeFrom,
		to,
		from: decodeHeader(message.headers.get('from') ?? ''),
		subject: decodeHeader(message.headers.get('subject') ?? ''),
		...bodies(message),
		raw,
	};
}

export async function startSmtpFake(port = 0): Promise<RunningSmtpFake> {
	const messages: CapturedEmail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		hideSTARTTLS: true,
		logger: false,
		onAuth(_auth, _session, callback) {
			callback(null, { user: 'anyone' });
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
				const to = session.envelope.rcptTo.map((r) => r.address);
				messages.push(parseEmail(Buffer.concat(chunks).toString('utf8'), envelopeFrom, to));
				callback();
			});
		},
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	const actual = (server.server.address() as AddressInfo).port;
	return {
		url: `smtp://127.0.0.1:${actual}`,
		port: actual,
		captured: () => messages,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
