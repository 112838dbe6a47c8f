/** The zod schemas of webhooks out, broadcasts and push subscriptions (issue 11), for the server and for forms. */
import { z } from 'zod';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

const httpsOrLoopback = (url: URL) => url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.has(url.hostname));

/** https anywhere; plain http only to this machine (a local receiver, the tests). */
export const webhookUrl = z
	.string({ error: 'Enter the URL that receives the webhooks.' })
	.trim()
	.min(1, 'Enter the URL that receives the webhooks.')
	.max(2000, 'That URL is too long (at most 2000 characters).')
	.superRefine((url, ctx) => {
		if (!URL.canParse(url)) {
			ctx.addIssue({ code: 'custom', message: 'That is not a URL: it should look like https://example.org/hooks/register.' });
			return;
		}
		const parsed = new URL(url);
		if (!httpsOrLoopback(parsed)) ctx.addIssue({ code: 'custom', message: 'The URL must start with https:// (plain http only for 127.0.0.1 or localhost).' });
		else if (parsed.username || parsed.password) ctx.addIssue({ code: 'custom', message: 'Put no user name or password in the URL; the signature proves who sent it.' });
	});

/** Empty: the server generates one. Entered: at least 32 visible characters, so it cannot be guessed. */
export const webhookSecret = z
	.string()
	.trim()
	.max(255, 'The secret can be at most 255 characters.')
	.refine((secret) => secret === '' || secret.length >= 32, 'The secret must be at least 32 characters (or leave it empty to have one generated).')
	.refine((secret) => /^[\x21-\x7e]*$/.test(secret), 'The secret can only hold visible characters without spaces.');

export const webhookInput = z.object({ url: webhookUrl, secret: webhookSecret.optional().default('') }).strict();
export type WebhookInput = z.input<typeof webhookInput>;

const id = z.coerce.number({ error: 'Which one?' }).int().positive().max(999_999_999);
export const webhookIdInput = z.object({ id }).strict();

export const broadcastAudiences = ['in-building', 'everyone'] as const;
export type BroadcastAudience = (typeof broadcastAudiences)[number];

export const broadcastInput = z
	.object({
		message: z.string({ error: 'Write the message.' }).trim().min(1, 'Write the message.').max(1000, 'Keep the message under 1000 characters (texts are split after 160).'),
		audience: z.enum(broadcastAudiences, { error: 'Choose who gets it.' }).default('in-building'),
	})
	.strict();
export type BroadcastInput = z.input<typeof broadcastInput>;

export const broadcastIdInput = z.object({ id }).strict();

/** A browser's PushSubscription.toJSON(). */
export const pushSubscriptionInput = z
	.object({
		endpoint: z
			.string()
			.max(2000)
			.refine((url) => URL.canParse(url) && httpsOrLoopback(new URL(url)), 'That is not a push service address.'),
		expirationTime: z.number().nullable().optional(),
		keys: z.object({
			p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}={0,2}$/, 'That is not a push key.'),
			auth: z.string().regex(/^[A-Za-z0-9_-]{22,64}={0,2}$/, 'That is not a push key.'),
		}),
	})
	.strip();
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionInput>;
export const pushEndpointInput = z.object({ endpoint: z.string().min(1).max(2000) }).strict();
