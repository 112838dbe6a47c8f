import { availableParallelism } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultWorkers, loadConfig } from '../../server/config';
import { thrown } from '../support/thrown';

const configError = (env: Record<string, string | undefined>) => thrown(() => loadConfig(env), ConfigError);

describe('loadConfig', () => {
	it('defaults to a SQLite file in ./data resolved to an absolute path', () => {
		const config = loadConfig({});
		expect(config.database.dialect).toBe('sqlite');
		if (config.database.dialect !== 'sqlite') return;
		expect(path.isAbsolute(config.database.storage)).toBe(true);
		expect(config.database.storage).toBe(path.resolve('data', 'register.sqlite'));
		expect(config.database.storage.endsWith(path.join('data', 'register.sqlite'))).toBe(true);
		expect(config.dataDir).toBe(path.resolve('data'));
	});

	it('defaults to Europe/London, port 3000 and development login on', () => {
		const config = loadConfig({});
		expect(config.buildingTz).toBe('Europe/London');
		expect(config.port).toBe(3000);
		expect(config.devLogin).toBe(true);
	});

	it('takes the login codes one address may ask for, 100 by default, and refuses a bad number', () => {
		expect(loadConfig({}).loginCodesPerIp).toBe(100);
		expect(loadConfig({ LOGIN_CODES_PER_IP: '2000' }).loginCodesPerIp).toBe(2000);
		expect(configError({ LOGIN_CODES_PER_IP: '0' }).message).toBe('Invalid configuration: LOGIN_CODES_PER_IP must be at least 1');
	});

	it('keeps a mysql:// DATABASE_URL as a MySQL url', () => {
		const config = loadConfig({ DATABASE_URL: 'mysql://user:pw@db:3306/register' });
		expect(config.database).toEqual({ dialect: 'mysql', url: 'mysql://user:pw@db:3306/register' });
	});

	it('runs a web worker per core on MySQL, leaving one core to a database on this machine, unless WEB_CONCURRENCY says', () => {
		expect(defaultWorkers('mysql://user:pw@db:3306/register', 4)).toBe(4);
		expect(defaultWorkers('mysql://root@127.0.0.1:3306/register', 4)).toBe(3);
		expect(defaultWorkers('mysql://root@localhost/register', 2)).toBe(1);
		expect(defaultWorkers('mysql://root@[::1]:3306/register', 2)).toBe(1);
		expect(defaultWorkers('mysql://root@localhost/register', 1)).toBe(1);
		expect(defaultWorkers('mysql://root@db/register?socketPath=/run/mysqld/mysqld.sock', 8)).toBe(7);
		expect(loadConfig({ DATABASE_URL: 'mysql://root@db:3306/register' }).webConcurrency).toBe(availableParallelism());
		expect(loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/register', WEB_CONCURRENCY: '2' }).webConcurrency).toBe(2);
		expect(loadConfig({ DATABASE_URL: 'sqlite:./x.sqlite', WEB_CONCURRENCY: '4' }).webConcurrency).toBe(1);
	});

	it('rewrites a mariadb:// DATABASE_URL to mysql://', () => {
		const config = loadConfig({ DATABASE_URL: 'mariadb://user:pw@db:3306/register' });
		expect(config.database).toEqual({ dialect: 'mysql', url: 'mysql://user:pw@db:3306/register' });
	});

	it('resolves a sqlite: DATABASE_URL to an absolute file path', () => {
		const config = loadConfig({ DATABASE_URL: 'sqlite:./x.sqlite' });
		expect(config.database).toEqual({ dialect: 'sqlite', storage: path.resolve('x.sqlite') });
	});

	it('reads PORT as a number', () => {
		expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
	});

	it('names PORT in the error when it is not a valid port', () => {
		expect(configError({ PORT: 'abc' }).message).toContain('PORT');
		expect(configError({ PORT: '70000' }).message).toContain('PORT');
	});

	it('names BUILDING_TZ in the error when it is not a known time zone', () => {
		expect(configError({ BUILDING_TZ: 'Mars/Olympus_Mons' }).message).toContain('BUILDING_TZ');
	});

	it('names DATABASE_URL in the error when its scheme is not supported', () => {
		expect(configError({ DATABASE_URL: 'postgres://db/register' }).message).toContain('DATABASE_URL');
	});

	it('names DATABASE_URL in the error when a sqlite: url has no file path', () => {
		expect(configError({ DATABASE_URL: 'sqlite:' }).message).toContain('DATABASE_URL');
	});

	it('keeps development login off on a real deployment (ORIGIN set) unless DEV_LOGIN=on', () => {
		expect(loadConfig({ ORIGIN: 'https://register.example.org' }).devLogin).toBe(false);
		expect(loadConfig({ ORIGIN: 'https://register.example.org', DEV_LOGIN: 'on' }).devLogin).toBe(true);
	});

	it('refuses JWT_SECRET without APP_TENANT_ID and APP_CLIENT_ID, naming the missing ones', () => {
		const secret = 'j'.repeat(32);
		expect(configError({ JWT_SECRET: secret }).message).toMatch(/JWT_SECRET needs APP_TENANT_ID and APP_CLIENT_ID/);
		expect(configError({ JWT_SECRET: secret, APP_TENANT_ID: 'tenant' }).message).toMatch(/needs APP_CLIENT_ID/);
		expect(loadConfig({ JWT_SECRET: secret, APP_TENANT_ID: 'tenant', APP_CLIENT_ID: 'app' }).legacyApp).toMatchObject({ tenantId: 'tenant', clientId: 'app' });
	});

	it('turns development login off when DEV_LOGIN=off', () => {
		expect(loadConfig({ DEV_LOGIN: 'off' }).devLogin).toBe(false);
		expect(loadConfig({ DEV_LOGIN: 'on' }).devLogin).toBe(true);
	});

	it('rejects a SECRET_KEY shorter than 32 characters, naming it', () => {
		expect(configError({ SECRET_KEY: 'x'.repeat(31) }).message).toContain('SECRET_KEY');
		expect(loadConfig({ SECRET_KEY: 'x'.repeat(32) }).secretKey).toBe('x'.repeat(32));
	});
});

describe('REDIS_URL', () => {
	it('is optional: without it events stay in the process', () => {
		expect(loadConfig({}).redisUrl).toBeUndefined();
	});

	it('takes a redis:// URL and a channel', () => {
		const c = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CHANNEL: 'site-a:events' });
		expect(c).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', redisChannel: 'site-a:events' });
	});

	it('refuses anything else with a message naming the variable', () => {
		expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
		expect(() => loadConfig({ REDIS_CHANNEL: 'has spaces' })).toThrow(/REDIS_CHANNEL/);
	});
});
