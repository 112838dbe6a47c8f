/**
 * The environment variables the register reads, as one zod schema: names,
 * types, defaults and the sentence a bad value is refused with. `config.ts`
 * turns the parsed values into the nested `Config` the app uses.
 */
import { z } from 'zod';

function isTimeZone(zone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-GB', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

const onOff = z.enum(['on', 'off']);

/** Space-separated http(s) URLs; empty or unset: none. */
const webhookList = z
	.string()
	.optional()
	.transform((value) => (value ?? '').split(/\s+/).filter(Boolean))
	.refine((urls) => urls.every((url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol)), 'must be http(s) URLs separated by spaces');

export const envSchema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
	PORT: z.coerce.number().int().min(1).max(65535).default(3000),
	HOST: z.string().min(1).default('0.0.0.0'),
	// Web worker processes on MySQL (SQLite has one writer, so one process); default: one per core.
	WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
	// Set by `npm start` on each of its workers; the first one runs the scheduled jobs.
	WORKER_SLOT: z.coerce.number().int().min(1).optional(),
	// Scheduled jobs (reminders, end of day, retention) in this process; `npm run worker` runs them alone.
	SCHEDULER: onOff.default('on'),
	ORIGIN: z.url().optional(),
	// adapter-node's proxy headers: trusted only when set (see docs/operations.md, "Behind a proxy").
	PROTOCOL_HEADER: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be a header name such as x-forwarded-proto').optional(),
	HOST_HEADER: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be a header name such as x-forwarded-host').optional(),
	ADDRESS_HEADER: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be a header name such as x-forwarded-for').optional(),
	XFF_DEPTH: z.coerce.number().int().min(1).max(10).optional(),
	DATA_DIR: z.string().min(1).default('./data'),
	BUILD_DIR: z.string().min(1).optional(),
	DATABASE_URL: z
		.string()
		.regex(/^(sqlite:|mysql:\/\/|mariadb:\/\/)/, 'must start with sqlite:, mysql:// or mariadb://')
		.optional(),
	DATABASE_LOG: onOff.default('off'),
	// Live events (admin view, settings changes) between app instances; an in-process bus without it.
	REDIS_URL: z
		.string()
		.regex(/^rediss?:\/\/[^/\s]+/, 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379')
		.optional(),
	// The pub/sub channel: deployments (or test runs) sharing one Redis each need their own.
	REDIS_CHANNEL: z.string().regex(/^[A-Za-z0-9:._-]{1,100}$/, 'must be letters, digits and : . _ - (at most 100)').default('building-register:events'),
	DATABASE_TIMEOUT_SECONDS: z.coerce.number().min(0.5).max(120).default(2),
	BUILDING_TZ: z
		.string()
		.default('Europe/London')
		.refine(isTimeZone, 'is not a known IANA time zone (for example Europe/London)'),
	BUILDING_NAME: z.string().min(1).max(100).default('Building Register'),
	SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
	DEV_LOGIN: onOff.optional(),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

	SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
	EMAIL_FROM: z.string().min(3).optional(),
	MICROSOFT_TENANT_ID: z.string().min(1).optional(),
	MICROSOFT_CLIENT_ID: z.string().min(1).optional(),
	MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
	MICROSOFT_AUTHORITY: z.url().optional(),
	MICROSOFT_GRAPH_URL: z.url().default('https://graph.microsoft.com/v1.0'),
	MICROSOFT_LOGIN: onOff.optional(),
	EMAIL_SENDER: z.email().optional(),
	TWILIO_ACCOUNT_SID: z.string().min(1).optional(),
	TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
	TWILIO_API_URL: z.url().optional(),
	SMS_SENDER: z
		.string()
		// Twilio alphanumeric sender IDs: up to 11 of letters, digits, space and + - _ &, with at least one letter.
		.regex(/^(\+?[0-9]{6,15}|(?=.*[A-Za-z])[A-Za-z0-9 +\-_&]{1,11})$/, 'must be a phone number or an alphanumeric sender ID of at most 11 characters')
		.optional(),
	SMS_REGION: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as GB').default('GB'),
	LOGIN_CODES_PER_IP: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(1_000_000).default(100),
	JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
	APP_TENANT_ID: z.string().min(1).optional(),
	APP_CLIENT_ID: z.string().min(1).optional(),

	SYNC_MAX_SKEW_SECONDS: z.coerce.number().int().min(0).max(3600).default(120),
	SYNC_OFFLINE_DAYS: z.coerce.number().int().min(1).max(60).default(7),
	REALTIME_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),

	// Chat messages on every sign-in and sign-out: space-separated webhook URLs (the original's name for Slack).
	SLACK_SIGNIN_WEBHOOKS: webhookList,
	TEAMS_SIGNIN_WEBHOOKS: webhookList,
	VAPID_PUBLIC_KEY: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/, 'must be the URL-safe base64 public key web-push generates (npx web-push generate-vapid-keys)').optional(),
	VAPID_PRIVATE_KEY: z.string().regex(/^[A-Za-z0-9_-]{40,50}$/, 'must be the URL-safe base64 private key web-push generates (npx web-push generate-vapid-keys)').optional(),
	VAPID_SUBJECT: z.string().regex(/^(mailto:.+@.+|https:\/\/.+)$/, 'must be a mailto: address or an https:// URL where the push service can reach you').optional(),
});

export type Env = z.infer<typeof envSchema>;
