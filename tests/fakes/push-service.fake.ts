/**
 * A local Web Push service: HTTPS on 127.0.0.1 (web-push only speaks https)
 * with a certificate made for the run by openssl. It records each push
 * message's headers and encrypted body and answers 201 like a real push
 * service, or the status set for an endpoint path (404/410 for a device that
 * unsubscribed). `trustedCa` is what a client must trust to reach it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningFake } from './registry';

export interface CapturedPush {
	path: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
	answered: number;
}

export interface RunningPushService extends RunningFake {
	url: string;
	trustedCa: string;
	captured(): CapturedPush[];
	answer(path: string, status: number): void;
}

function selfSignedCertificate(): { key: string; cert: string } {
	const dir = mkdtempSync(path.join(tmpdir(), 'push-fake-'));
	try {
		execFileSync('openssl', [
			'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
			'-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
			'-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
		], { stdio: 'ignore' });
		return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

export async function startPushService(port = 0): Promise<RunningPushService> {
	const { key, cert } = selfSignedCertificate();
	const pushes: CapturedPush[] = [];
	const statuses = new Map<string, number>();
	const server = createServer({ key, cert }, (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const pathName = req.url ?? '/';
			const answered = statuses.get(pathName) ?? 201;
			pushes.push({ path: pathName, headers: req.headers, body: Buffer.concat(chunks), answered });
			res.writeHead(answered).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	return {
		url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
		trustedCa: cert,
		captured: () => [...pushes],
		answer: (p, status) => statuses.set(p, status),
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
