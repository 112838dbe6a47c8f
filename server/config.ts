/**
 * The one place that reads the environment. It is parsed once with zod into a
 * typed, nested config with defaults; a bad variable stops the app with one
 * line naming it. Tests call `resetConfig()` with their own values.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { envSchema, type Env } from './config-env';

export type DatabaseConfig =
	| { dialect: 'sqlite'; storage: string }
	| { dialect: 'mysql'; url: string };

export interface SmtpConfig {
	url: string;
	from: string;
}

export interface MicrosoftConfig {
	tenantId: string;
	clientId: string;
	clientSecret: string;
	/** The OpenID Connect issuer; tests point it at a local provider. */
	authority: string;
	graphUrl: string;
}

export interface TwilioConfig {
	accountSid: string;
	authToken: string;
	sender: string;
	/** Replaces https://api.twilio.com, for the local stand-in in tests. */
	apiUrl: string | undefined;
}

export interface Config {
	env: 'development' | 'production' | 'test';
	port: number;
	host: string;
	/** Web processes `npm start` runs: one per core on MySQL unless set, always one on SQLite. */
	webConcurrency: number;
	/** Whether this process runs the scheduled jobs: a single process does, and of workers only the first; never with SCHEDULER=off. */
	schedulerHere: boolean;
	origin: string | undefined;
	/** Proxy headers the handler trusts; none unless configured. */
	proxy: { protocolHeader: string | undefined; hostHeader: string | undefined; addressHeader: string | undefined; xffDepth: number | undefined };
	dataDir: string;
	/** A built app to serve instead of ./build (which `npm start` rebuilds when stale). */
	buildDir: string | undefined;
	database: DatabaseConfig;
	databaseLog: boolean;
	/** MySQL connect, pool-acquire and per-query limit, so an outage is answered (503) rather than hung. */
	databaseTimeoutMs: number;
	/** Redis for events across instances; undefined: events stay in this process. */
	redisUrl: string | undefined;
	redisChannel: string;
	buildingTz: string;
	buildingName: string;
	secretKey: string | undefined;
	devLogin: boolean;
	logLevel: Env['LOG_LEVEL'];
	/** Email codes through SMTP (nodemailer). */
	smtp: SmtpConfig | undefined;
	/** Entra ID app registration: Microsoft login and, with EMAIL_SENDER, Graph sendMail. */
	microsoft: MicrosoftConfig | undefined;
	microsoftLogin: boolean;
	/** The mailbox Graph sendMail sends from. */
	graphEmailSender: string | undefined;
	twilio: TwilioConfig | undefined;
	/** Default region for phone numbers typed without a country code. */
	smsRegion: string;
	/** Login codes one address may ask for in 15 minutes (an office behind one NAT address asks for many). */
	loginCodesPerIp: number;
	/** Offline sync: how far ahead a client clock may be, how old a queued action may be. */
	sync: { maxSkewMs: number; offlineWindowMs: number; realtimeMaxAgeMs: number };
	/** The original mobile app's API: JWT key and the token claims it must carry (both required with the key). */
	legacyApp: { jwtSecret: string | undefined; tenantId: string | undefined; clientId: string | undefined; graphUrl: string };
	/** Incoming-webhook URLs told of every real-time sign-in and sign-out. */
	chat: { slack: string[]; teams: string[] };
	/** Web Push (VAPID): all three keys together, or none (push off). */
	vapid: VapidConfig | undefined;
}

export interface VapidConfig {
	publicKey: string;
	privateKey: string;
	subject: string;
}

export class ConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ConfigError';
	}
}

function parseDatabase(url: string | undefined, dataDir: string): DatabaseConfig {
	if (!url) return { dialect: 'sqlite', storage: path.resolve(dataDir, 'register.sqlite') };
	if (url.startsWith('sqlite:')) {
		const storage = url.slice('sqlite:'.length).replace(/^\/\//, '');
		if (!storage) throw new ConfigError('DATABASE_URL: sqlite: needs a file path, e.g. sqlite:./data/register.sqlite');
		return { dialect: 'sqlite', storage: storage === ':memory:' ? storage : path.resolve(storage) };
	}
	return { dialect: 'mysql', url: url.replace(/^mariadb:/, 'mysql:') };
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]', '']);

/**
 * Web workers on MySQL when WEB_CONCURRENCY is not set: one per core, less
 * the one the database needs when it runs on this machine (a loopback host,
 * or a `socketPath`). Measured on 2 cores with MariaDB beside the app, two
 * workers served a quarter to a half fewer sign-ins than one, each costing
 * half as much CPU again (docs/decisions.md, "Every core").
 */
export function defaultWorkers(databaseUrl: string, cores: number): number {
	const url = URL.canParse(databaseUrl) ? new URL(databaseUrl) : undefined;
	const local = url !== undefined && (loopbackHosts.has(url.hostname) || url.searchParams.has('socketPath'));
	return Math.max(1, local ? cores - 1 : cores);
}

export function loadConfig(env: Record<string, string | undefined>): Config {
	const parsed = envSchema.safeParse(env);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		const name = String(issue.path[0] ?? 'environment');
		throw new ConfigError(`Invalid configuration: ${name} ${issue.message}`);
	}
	const e = parsed.data;
	const microsoft = parseMicrosoft(e);
	const smtp = parseGroup({ SMTP_URL: e.SMTP_URL, EMAIL_FROM: e.EMAIL_FROM }, (v) => ({ url: v.SMTP_URL, from: v.EMAIL_FROM }));
	const twilio = parseGroup(
		{ TWILIO_ACCOUNT_SID: e.TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: e.TWILIO_AUTH_TOKEN, SMS_SENDER: e.SMS_SENDER },
		(v) => ({ accountSid: v.TWILIO_ACCOUNT_SID, authToken: v.TWILIO_AUTH_TOKEN, sender: v.SMS_SENDER, apiUrl: e.TWILIO_API_URL }),
	);
	if (e.EMAIL_SENDER && !microsoft) {
		throw new ConfigError('Invalid configuration: EMAIL_SENDER needs MICROSOFT_TENANT_ID, MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET');
	}
	const microsoftLogin = microsoft !== undefined && e.MICROSOFT_LOGIN !== 'off';
	if (e.JWT_SECRET && (!e.APP_TENANT_ID || !e.APP_CLIENT_ID)) {
		const missing = ['APP_TENANT_ID', 'APP_CLIENT_ID'].filter((name) => !e[name as 'APP_TENANT_ID' | 'APP_CLIENT_ID']);
		// Without them the app API would accept a Graph token from any organisation or app.
		throw new ConfigError(`Invalid configuration: JWT_SECRET needs ${missing.join(' and ')} (the Entra tenant and the mobile app's client id)`);
	}
	const vapid = parseGroup(
		{ VAPID_PUBLIC_KEY: e.VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY: e.VAPID_PRIVATE_KEY, VAPID_SUBJECT: e.VAPID_SUBJECT },
		(v) => ({ publicKey: v.VAPID_PUBLIC_KEY, privateKey: v.VAPID_PRIVATE_KEY, subject: v.VAPID_SUBJECT }),
	);
	const realLoginConfigured = smtp !== undefined || e.EMAIL_SENDER !== undefined || twilio !== undefined || microsoftLogin;
	return {
		env: e.NODE_ENV,
		port: e.PORT,
		host: e.HOST,
		webConcurrency: e.DATABASE_URL?.startsWith('sqlite:') !== false ? 1 : (e.WEB_CONCURRENCY ?? defaultWorkers(e.DATABASE_URL, availableParallelism())),
		schedulerHere: e.SCHEDULER === 'on' && (e.WORKER_SLOT === undefined || e.WORKER_SLOT === 1),
		origin: e.ORIGIN,
		proxy: { protocolHeader: e.PROTOCOL_HEADER, hostHeader: e.HOST_HEADER, addressHeader: e.ADDRESS_HEADER, xffDepth: e.XFF_DEPTH },
		dataDir: path.resolve(e.DATA_DIR),
		buildDir: e.BUILD_DIR ? path.resolve(e.BUILD_DIR) : undefined,
		database: parseDatabase(e.DATABASE_URL, e.DATA_DIR),
		databaseLog: e.DATABASE_LOG === 'on',
		databaseTimeoutMs: e.DATABASE_TIMEOUT_SECONDS * 1000,
		redisUrl: e.REDIS_URL,
		redisChannel: e.REDIS_CHANNEL,
		buildingTz: e.BUILDING_TZ,
		buildingName: e.BUILDING_NAME,
		secretKey: e.SECRET_KEY,
		// A real deployment (ORIGIN set) never gets the console login by accident, only by DEV_LOGIN=on.
		devLogin: e.DEV_LOGIN ? e.DEV_LOGIN === 'on' : !realLoginConfigured && !e.ORIGIN,
		logLevel: e.LOG_LEVEL,
		smtp,
		microsoft,
		microsoftLogin,
		graphEmailSender: e.EMAIL_SENDER,
		twilio,
		smsRegion: e.SMS_REGION,
		loginCodesPerIp: e.LOGIN_CODES_PER_IP,
		sync: {
			maxSkewMs: e.SYNC_MAX_SKEW_SECONDS * 1000,
			offlineWindowMs: e.SYNC_OFFLINE_DAYS * 86_400_000,
			realtimeMaxAgeMs: e.REALTIME_MAX_AGE_SECONDS * 1000,
		},
		legacyApp: { jwtSecret: e.JWT_SECRET, tenantId: e.APP_TENANT_ID, clientId: e.APP_CLIENT_ID, graphUrl: e.MICROSOFT_GRAPH_URL },
		chat: { slack: e.SLACK_SIGNIN_WEBHOOKS, teams: e.TEAMS_SIGNIN_WEBHOOKS },
		vapid,
	};
}


/** A group of variables that only make sense together: all set, or none (naming the missing ones). */
function parseGroup<K extends keyof Env, T>(group: Pick<Env, K>, build: (values: { [P in K]: NonNullable<Env[P]> }) => T): T | undefined {
	const names = Object.keys(group) as K[];
	const missing = names.filter((name) => group[name] === undefined);
	if (missing.length === names.length) return undefined;
	if (missing.length) {
		const set = names.filter((name) => !missing.includes(name));
		throw new ConfigError(`Invalid configuration: ${missing.join(', ')} must be set together with ${set.join(', ')}`);
	}
	return build(group as { [P in K]: NonNullable<Env[P]> });
}

function parseMicrosoft(e: Env): MicrosoftConfig | undefined {
	return parseGroup(
		{ MICROSOFT_TENANT_ID: e.MICROSOFT_TENANT_ID, MICROSOFT_CLIENT_ID: e.MICROSOFT_CLIENT_ID, MICROSOFT_CLIENT_SECRET: e.MICROSOFT_CLIENT_SECRET },
		(v) => ({
			tenantId: v.MICROSOFT_TENANT_ID,
			clientId: v.MICROSOFT_CLIENT_ID,
			clientSecret: v.MICROSOFT_CLIENT_SECRET,
			authority: e.MICROSOFT_AUTHORITY ?? `https://login.microsoftonline.com/${v.MICROSOFT_TENANT_ID}/v2.0`,
			graphUrl: e.MICROSOFT_GRAPH_URL,
		}),
	);
}

let cached: Config | undefined;

function readEnvironment(): Record<string, string | undefined> {
	// An optional .env file fills in what the real environment leaves unset.
	if (existsSync('.env')) process.loadEnvFile('.env');
	return process.env;
}

export function config(): Config {
	cached ??= loadConfig(readEnvironment());
	return cached;
}

/** Set by `npm start` itself on every request (any copy a client sends is dropped first). */
export const SERVED_PROTOCOL_HEADER = 'x-register-served-protocol';

/**
 * Settings the bundled SvelteKit handler reads from the environment itself.
 * Without ORIGIN or a configured PROTOCOL_HEADER, adapter-node would assume
 * https; it reads the protocol instead from a header only `npm start` sets,
 * so a client cannot claim https by sending X-Forwarded-Proto.
 */
export function prepareHandlerEnvironment(settings: Config): void {
	if (!settings.origin && !settings.proxy.protocolHeader) process.env.PROTOCOL_HEADER = SERVED_PROTOCOL_HEADER;
}

/** For tests: replace the cached config (or drop it so the next call re-reads the environment). */
export function resetConfig(overrides?: Partial<Config>): Config | undefined {
	cached = overrides ? { ...loadConfig(readEnvironment()), ...overrides } : undefined;
	return cached;
}
