import webpush from 'web-push';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { chatText } from '../../server/domain/notifications/chat-announcements';
import { signatureHeader, verifySignature } from '../../server/domain/notifications/webhook-signature';
import { teamsMessage } from '../../server/integrations/teams/teams-webhook';
import { webhookInput } from '../../src/lib/contracts/notifications';

describe('chat and push configuration', () => {
	it('reads space-separated Slack and Teams webhook URLs, none by default', () => {
		expect(loadConfig({}).chat).toEqual({ slack: [], teams: [] });
		const config = loadConfig({ SLACK_SIGNIN_WEBHOOKS: ' https://hooks.slack.com/services/A  https://hooks.slack.com/services/B ', TEAMS_SIGNIN_WEBHOOKS: 'https://example.logic.azure.com/workflows/1' });
		expect(config.chat).toEqual({ slack: ['https://hooks.slack.com/services/A', 'https://hooks.slack.com/services/B'], teams: ['https://example.logic.azure.com/workflows/1'] });
	});

	it('refuses a webhook list with something that is not a URL, naming the variable', () => {
		expect(() => loadConfig({ SLACK_SIGNIN_WEBHOOKS: 'https://ok.example/a not-a-url' })).toThrow(/SLACK_SIGNIN_WEBHOOKS must be http\(s\) URLs/);
	});

	it('takes the three VAPID variables together, or none', () => {
		const keys = webpush.generateVAPIDKeys();
		expect(loadConfig({}).vapid).toBeUndefined();
		expect(loadConfig({ VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey, VAPID_SUBJECT: 'mailto:ops@example.org' }).vapid).toEqual({
			publicKey: keys.publicKey,
			privateKey: keys.privateKey,
			subject: 'mailto:ops@example.org',
		});
		expect(() => loadConfig({ VAPID_PUBLIC_KEY: keys.publicKey })).toThrow(/VAPID_PRIVATE_KEY, VAPID_SUBJECT must be set together with VAPID_PUBLIC_KEY/);
		expect(() => loadConfig({ VAPID_PUBLIC_KEY: 'short', VAPID_PRIVATE_KEY: keys.privateKey, VAPID_SUBJECT: 'mailto:a@b.c' })).toThrow(/VAPID_PUBLIC_KEY .*generate-vapid-keys/);
		expect(() => loadConfig({ VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey, VAPID_SUBJECT: 'ops@example.org' })).toThrow(/VAPID_SUBJECT must be a mailto:/);
	});
});

describe('chat texts', () => {
	it('says who and how many, as the original did', () => {
		expect(chatText({ firstName: 'Ada', lastName: 'Lovelace' }, 'signed in', 3)).toBe('User Ada Lovelace signed in. There are now 3 users signed in.');
		expect(chatText({ firstName: 'Ada', lastName: 'Lovelace' }, 'signed out', 0)).toBe('User Ada Lovelace signed out. There are now 0 users signed in.');
	});

	it('wraps the text in an Adaptive Card for a Teams workflow', () => {
		expect(teamsMessage('hello').attachments[0]!.content.body).toEqual([{ type: 'TextBlock', text: 'hello', wrap: true }]);
	});
});

describe('webhook signatures', () => {
	const secret = 's'.repeat(40);
	const body = '{"id":"1","type":"sign-in"}';
	const at = new Date('2026-11-24T10:00:00Z');

	it('signs t.body with HMAC-SHA256 and the receiver check accepts it', () => {
		const header = signatureHeader(secret, body, at);
		expect(header).toMatch(/^t=1795514400,v1=[0-9a-f]{64}$/);
		expect(verifySignature(secret, header, body, at)).toBe(true);
	});

	it('fails for another body, another secret, a changed time or an old replay', () => {
		const header = signatureHeader(secret, body, at);
		expect(verifySignature(secret, header, `${body} `, at)).toBe(false);
		expect(verifySignature('t'.repeat(40), header, body, at)).toBe(false);
		expect(verifySignature(secret, header.replace('t=1795514400', 't=1795514401'), body, at)).toBe(false);
		expect(verifySignature(secret, header, body, new Date(at.getTime() + 3600_000))).toBe(false);
		expect(verifySignature(secret, undefined, body, at)).toBe(false);
	});
});

describe('webhook receivers', () => {
	const message = (input: unknown) => {
		const parsed = webhookInput.safeParse(input);
		return parsed.success ? 'ok' : parsed.error.issues[0]!.message;
	};

	it('takes https anywhere and http only on this machine', () => {
		expect(message({ url: 'https://example.org/hook' })).toBe('ok');
		expect(message({ url: 'http://127.0.0.1:8080/hook' })).toBe('ok');
		expect(message({ url: 'http://localhost/hook' })).toBe('ok');
		expect(message({ url: 'http://example.org/hook' })).toMatch(/must start with https:\/\//);
		expect(message({ url: 'javascript:alert(1)' })).toMatch(/must start with https:\/\//);
		expect(message({ url: 'https://user:pw@example.org/hook' })).toMatch(/no user name or password/);
		expect(message({ url: '' })).toMatch(/Enter the URL/);
	});

	it('takes an entered secret of 32 visible characters or more, or none', () => {
		expect(message({ url: 'https://example.org/hook', secret: '' })).toBe('ok');
		expect(message({ url: 'https://example.org/hook', secret: 'x'.repeat(32) })).toBe('ok');
		expect(message({ url: 'https://example.org/hook', secret: 'x'.repeat(31) })).toMatch(/at least 32 characters/);
		expect(message({ url: 'https://example.org/hook', secret: `${'x'.repeat(32)} y` })).toMatch(/visible characters/);
	});
});
