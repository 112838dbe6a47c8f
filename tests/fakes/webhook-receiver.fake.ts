/**
 * A local HTTP receiver for everything the register posts out: Slack and
 * Teams webhooks, signed webhooks, and Web Push messages (a push service
 * takes a POST too). It records each request (path, headers, raw body) and
 * answers with the status set for its path (200 unless told otherwise,
 * 201 for push, as push services do). Signed webhooks are checked against
 * the secret given for their path, the way an integrator would.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../server/domain/notifications/webhook-signature';
import type { RunningFake } from './registry';

export interface CapturedRequest {
	path: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
	text: string;
	/** For a path with a secret: whether X-Register-Signature checked out. */
	signatureValid: boolean | null;
	answered: number;
}

export interface RunningReceiver extends RunningFake {
	url: string;
	port: number;
	captured(): CapturedRequest[];
	/** What the path answers from now on. */
	answer(path: string, status: number): void;
	/** Checks the signatures of requests to `path` with `secret`. */
	expectSecret(path: string, secret: string): void;
	clear(): void;
}

export async function startWebhookReceiver(port = 0): Promise<RunningReceiver> {
	const requests: CapturedRequest[] = [];
	const statuses = new Map<string, number>();
	const secrets = new Map<string, string>();
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const path = req.url ?? '/';
			const body = Buffer.concat(chunks);
			const text = body.toString('utf8');
			const secret = secrets.get(path);
			const header = req.headers['x-register-signature'];
			const signatureValid = secret === undefined ? null : verifySignature(secret, typeof header === 'string' ? header : undefined, text, new Date(), 10 * 365 * 86_400);
			const answered = statuses.get(path) ?? (path.startsWith('/push/') ? 201 : 200);
			requests.push({ path, headers: req.headers, body, text, signatureValid, answered });
			res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered < 300 ? 'ok' : 'not today');
		});
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	const actual = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${actual}`,
		port: actual,
		captured: () => [...requests],
		answer: (path, status) => statuses.set(path, status),
		expectSecret: (path, secret) => secrets.set(path, secret),
		clear: () => {
			requests.length = 0;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
