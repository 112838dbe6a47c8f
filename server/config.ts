/**
 * The one place that reads the environment. It is parsed once with zod into a
 * typed, nested config with defaults; a bad variable stops the app with one
 * line naming it. Tests call `resetConfig()` with their own values.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const onOff = z.enum(['on', 'off']);

const envSchema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
	PORT: z.coerce.number().int().min(1).max(65535).default(3000),
	HOST: z.string().min(1).default('0.0.0.0'),
	ORIGIN: z.url().optional(),
	DATA_DIR: z.string().min(1).default('./data'),
	DATABASE_URL: z
		.string()
		.regex(/^(sqlite:|mysql:\/\/|mariadb:\/\/)/, 'must start with sqlite:, mysql:// or mariadb://')
		.optional(),
	DATABASE_LOG: onOff.default('off'),
	BUILDING_TZ: z
		.string()
		.default('Europe/London')
		.refine(isTimeZone, 'is not a known IANA time zone (for example Europe/London)'),
	BUILDING_NAME: z.string().min(1).max(100).default('Building Register'),
	SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
	DEV_LOGIN: onOff.optional(),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type DatabaseConfig =
	| { dialect: 'sqlite'; storage: string }
	| { dialect: 'mysql'; url: string };

export interface Config {
	env: 'development' | 'production' | 'test';
	port: number;
	host: string;
	origin: string | undefined;
	dataDir: string;
	database: DatabaseConfig;
	databaseLog: boolean;
	buildingTz: string;
	buildingName: string;
	secretKey: string | undefined;
	devLogin: boolean;
	logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
}

export class ConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ConfigError';
	}
}

function isTimeZone(zone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-GB', { timeZone: zone });
		return true;
	} catch {
		return false;
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

export function loadConfig(env: Record<string, string | undefined>): Config {
	const parsed = envSchema.safeParse(env);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		const name = String(issue.path[0] ?? 'environment');
		throw new ConfigError(`Invalid configuration: ${name} ${issue.message}`);
	}
	const e = parsed.data;
	const realLoginConfigured = false; // real methods (email, SMS, Microsoft) arrive with their own variables
	return {
		env: e.NODE_ENV,
		port: e.PORT,
		host: e.HOST,
		origin: e.ORIGIN,
		dataDir: path.resolve(e.DATA_DIR),
		database: parseDatabase(e.DATABASE_URL, e.DATA_DIR),
		databaseLog: e.DATABASE_LOG === 'on',
		buildingTz: e.BUILDING_TZ,
		buildingName: e.BUILDING_NAME,
		secretKey: e.SECRET_KEY,
		devLogin: e.DEV_LOGIN ? e.DEV_LOGIN === 'on' : !realLoginConfigured,
		logLevel: e.LOG_LEVEL,
	};
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

/**
 * Settings the bundled SvelteKit handler reads from the environment itself.
 * Without ORIGIN it takes the protocol from X-Forwarded-Proto, which `npm start`
 * fills in with the protocol it really serves (plain HTTP) when no proxy set it.
 */
export function prepareHandlerEnvironment(settings: Config): void {
	if (!settings.origin) process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
}

/** For tests: replace the cached config (or drop it so the next call re-reads the environment). */
export function resetConfig(overrides?: Partial<Config>): Config | undefined {
	cached = overrides ? { ...loadConfig(readEnvironment()), ...overrides } : undefined;
	return cached;
}
