import { describe, expect, it } from 'vitest';
import { endServerSession, logoutQuestion } from '../../src/lib/client/offline/session-end';

describe('logoutQuestion', () => {
	it('counts the waiting actions and promises to keep them', () => {
		expect(logoutQuestion(2)).toBe(
			'2 sign-ins/outs are still waiting to reach the register; they will be kept and sent when you log in again. Log out anyway?',
		);
	});

	it('speaks of one action in the singular', () => {
		expect(logoutQuestion(1)).toBe(
			'1 sign-in/out is still waiting to reach the register; it will be kept and sent when you log in again. Log out anyway?',
		);
	});
});

describe('endServerSession', () => {
	const answering = (response: Response | Error) =>
		(async () => {
			if (response instanceof Error) throw response;
			return response;
		}) as unknown as typeof fetch;

	it('counts the redirect to /login (opaque to a manual-redirect fetch) as logged out', async () => {
		const opaque = { type: 'opaqueredirect', ok: false, status: 0 } as Response;
		expect(await endServerSession(answering(opaque))).toBe(true);
	});

	it('reports failure when offline or when the server fails, so the person is not told they are logged out', async () => {
		expect(await endServerSession(answering(new TypeError('Failed to fetch')))).toBe(false);
		expect(await endServerSession(answering(new Response('boom', { status: 500 })))).toBe(false);
	});

	it('sends the same POST to /logout as the form without JavaScript', async () => {
		let sent: { url: string; init?: RequestInit } | undefined;
		const recording = (async (url: string, init?: RequestInit) => {
			sent = { url, init };
			return new Response(null, { status: 200 });
		}) as unknown as typeof fetch;
		await endServerSession(recording);
		expect(sent?.url).toBe('/logout');
		expect(sent?.init?.method).toBe('POST');
		expect(sent?.init?.redirect).toBe('manual');
	});
});
