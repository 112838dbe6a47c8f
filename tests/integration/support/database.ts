/**
 * Each integration test file gets a database of its own: a fresh SQLite file,
 * or a throw-away MariaDB/MySQL database created on TEST_MYSQL_URL and dropped
 * afterwards, so runs never see each other's data. The dialect comes from the
 * vitest project (TEST_DB). Without a MySQL server, the MySQL run is skipped
 * with a loud warning, except under CI=true where it fails.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe } from 'vitest';
import { resetConfig, type DatabaseConfig } from '../../../server/config';
import { closeDatabase, openDatabase, prepareDatabase } from '../../../server/db/database';
import { events } from '../../../server/domain/shared/events';

export const dialect = process.env.TEST_DB === 'mysql' ? 'mysql' : 'sqlite';
const mysqlUrl = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const inCi = process.env.CI === 'true';

async function mysqlAnswers(): Promise<string | null> {
	try {
		const connection = await mysql.createConnection({ uri: mysqlUrl, connectTimeout: 3000 });
		await connection.end();
		return null;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

export interface TestDatabase {
	dialect: 'sqlite' | 'mysql';
	/** `describe`, or a skipping `describe` when this dialect's server is not there. */
	describe: (name: string, body: () => void) => void;
	target(): DatabaseConfig;
}

export async function useTestDatabase(): Promise<TestDatabase> {
	if (dialect === 'mysql') {
		const problem = await mysqlAnswers();
		if (problem) {
			if (inCi) throw new Error(`CI=true needs MySQL/MariaDB at ${mysqlUrl}: ${problem}`);
			console.warn(`\n!!!!!! MySQL tests SKIPPED: no server answers at ${mysqlUrl} (${problem}).\n!!!!!! Set TEST_MYSQL_URL or start MariaDB.\n`);
			return { dialect, describe: (name, body) => describe.skip(name, body), target: () => ({ dialect: 'sqlite', storage: ':memory:' }) };
		}
	}

	const dataDir = mkdtempSync(path.join(tmpdir(), 'register-test-'));
	const dbName = `register_t_${randomBytes(6).toString('hex')}`;
	let target: DatabaseConfig;
	if (dialect === 'mysql') {
		const url = new URL(mysqlUrl);
		url.pathname = `/${dbName}`;
		target = { dialect: 'mysql', url: url.toString() };
	} else {
		target = { dialect: 'sqlite', storage: path.join(dataDir, 'test.sqlite') };
	}

	beforeAll(async () => {
		if (dialect === 'mysql') {
			const admin = await mysql.createConnection({ uri: mysqlUrl });
			await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
			await admin.end();
		}
		resetConfig({ database: target, dataDir, buildingTz: 'Europe/London', logLevel: 'silent' });
		openDatabase(target);
		await prepareDatabase();
	});

	afterAll(async () => {
		events.clear();
		await closeDatabase();
		if (dialect === 'mysql') {
			const admin = await mysql.createConnection({ uri: mysqlUrl });
			await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
			await admin.end();
		}
		rmSync(dataDir, { recursive: true, force: true });
	});

	return { dialect, describe: (name, body) => describe(name, body), target: () => target };
}
