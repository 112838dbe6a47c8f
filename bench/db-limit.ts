/**
 * The limit of the database underneath: a bare driver loop that does what
 * one sign-in does inside its transaction (server/domain/attendance/
 * fact-store.ts), with no HTTP, no Sequelize and no fold in between:
 *
 *   lock/select the user row; select the person's facts of the last 48 hours
 *   and their open or recent records; insert an audit row; insert the
 *   record; insert the action row; commit.
 *
 * SQLite: one connection, transactions one after another (BEGIN IMMEDIATE …
 * COMMIT, WAL mode), which is all a single SQLite writer can do.
 * MariaDB: a pool of 10 connections and 10 loops at once, each loop on its
 * own people so row locks never wait on each other.
 * Each statement is awaited, because the app needs each answer before the next.
 */
import { randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import Database from 'better-sqlite3';
import sqlite3 from 'sqlite3';

const WINDOW_MS = 48 * 3_600_000;

export interface LimitFigures {
	writesPerSec: number;
	writes: number;
	errors: number;
}

const selectUser = 'SELECT id, username, first_name, last_name, role, created_at, updated_at FROM users WHERE id = ?';
const facts = 'SELECT id, user_id, device_id, kind, client_at, received_at, outcome, reason, at, device_seq, audit_id FROM actions WHERE user_id = ? AND at >= ?';
const records =
	'SELECT id, user_id, date, sign_in_at, sign_in_audit_id, sign_out_at, sign_out_audit_id, location_id FROM sign_in_records WHERE user_id = ? AND (sign_in_at >= ? OR sign_out_at IS NULL OR sign_out_at >= ?)';
const insertAudit = 'INSERT INTO audit_records (at, ip, user_agent, source, device_id) VALUES (?, ?, ?, ?, ?)';
const insertRecord = 'INSERT INTO sign_in_records (user_id, date, sign_in_at, sign_in_audit_id, sign_out_at, sign_out_audit_id) VALUES (?, ?, ?, ?, NULL, NULL)';
const insertAction =
	'INSERT INTO actions (id, user_id, device_id, kind, client_at, received_at, outcome, reason, at, device_seq, audit_id) VALUES (?, ?, NULL, ?, ?, ?, ?, NULL, ?, NULL, ?)';

/** Sequelize's SQLite form of an instant, so comparisons match the app's rows. */
const sqliteInstant = (at: Date) => `${at.toISOString().replace('T', ' ').replace('Z', '')} +00:00`;

/** The i-th sign-in of a SQLite loop: whose, and its instants as the app stores them. */
function sqliteSignIn(userIds: readonly number[], i: number): { userId: number; at: string; from: string } {
	const now = new Date();
	return { userId: userIds[i % userIds.length]!, at: sqliteInstant(now), from: sqliteInstant(new Date(now.getTime() - WINDOW_MS)) };
}

function sqliteCall(db: sqlite3.Database, method: 'run' | 'all', sql: string, params: unknown[] = []): Promise<number> {
	return new Promise((resolve, reject) => {
		if (method === 'all') db.all(sql, params, (error) => (error ? reject(error) : resolve(0)));
		else
			db.run(sql, params, function (this: sqlite3.RunResult, error: Error | null) {
				if (error) reject(error);
				else resolve(this.lastID);
			});
	});
}

export async function sqliteLimit(file: string, userIds: readonly number[], date: string, seconds: number): Promise<LimitFigures> {
	const db = await new Promise<sqlite3.Database>((resolve, reject) => {
		const opened: sqlite3.Database = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(opened)));
	});
	const call = (method: 'run' | 'all', sql: string, params?: unknown[]) => sqliteCall(db, method, sql, params);
	let writes = 0;
	let errors = 0;
	try {
		await call('all', 'PRAGMA journal_mode = WAL');
		await call('run', 'PRAGMA busy_timeout = 5000');
		const began = performance.now();
		const until = began + seconds * 1000;
		for (let i = 0; performance.now() < until; i++) {
			const { userId, at, from } = sqliteSignIn(userIds, i);
			try {
				await call('run', 'BEGIN IMMEDIATE');
				await call('all', selectUser, [userId]);
				await call('all', facts, [userId, from]);
				await call('all', records, [userId, from, from]);
				const auditId = await call('run', insertAudit, [at, '127.0.0.1', 'bench', 'web', null]);
				await call('run', insertRecord, [userId, date, at, auditId]);
				await call('run', insertAction, [randomUUID(), userId, 'sign-in', at, at, 'applied', at, auditId]);
				await call('run', 'COMMIT');
				writes++;
			} catch {
				errors++;
				await call('run', 'ROLLBACK').catch(() => undefined);
			}
		}
		return { writesPerSec: writes / ((performance.now() - began) / 1000), writes, errors };
	} finally {
		await new Promise((resolve) => db.close(resolve));
	}
}

/**
 * The same loop through better-sqlite3, the driver the app's SQLite writer
 * uses: synchronous, prepared once, so it shows what SQLite itself can
 * commit with no driver hops at all (a higher bar than node-sqlite3's loop).
 */
export function sqliteSyncLimit(file: string, userIds: readonly number[], date: string, seconds: number): LimitFigures {
	const db = new Database(file, { timeout: 5000 });
	let writes = 0;
	let errors = 0;
	try {
		db.pragma('journal_mode = WAL');
		const statements = {
			begin: db.prepare('BEGIN IMMEDIATE'),
			user: db.prepare(selectUser),
			facts: db.prepare(facts),
			records: db.prepare(records),
			audit: db.prepare(insertAudit),
			record: db.prepare(insertRecord),
			action: db.prepare(insertAction),
			commit: db.prepare('COMMIT'),
			rollback: db.prepare('ROLLBACK'),
		};
		const began = performance.now();
		const until = began + seconds * 1000;
		for (let i = 0; performance.now() < until; i++) {
			const { userId, at, from } = sqliteSignIn(userIds, i);
			try {
				statements.begin.run();
				statements.user.all(userId);
				statements.facts.all(userId, from);
				statements.records.all(userId, from, from);
				const auditId = statements.audit.run(at, '127.0.0.1', 'bench', 'web', null).lastInsertRowid;
				statements.record.run(userId, date, at, auditId);
				statements.action.run(randomUUID(), userId, 'sign-in', at, at, 'applied', at, auditId);
				statements.commit.run();
				writes++;
			} catch {
				errors++;
				if (db.inTransaction) statements.rollback.run();
			}
		}
		return { writesPerSec: writes / ((performance.now() - began) / 1000), writes, errors };
	} finally {
		db.close();
	}
}

export async function mysqlLimit(url: string, userIds: readonly number[], date: string, seconds: number, loops = 10): Promise<LimitFigures> {
	const pool = mysql.createPool({ uri: url, connectionLimit: loops, timezone: 'Z', connectTimeout: 10_000 });
	let writes = 0;
	let errors = 0;
	const began = performance.now();
	const until = began + seconds * 1000;
	const loop = async (lane: number) => {
		const own = userIds.filter((_, i) => i % loops === lane);
		for (let i = 0; performance.now() < until; i++) {
			const userId = own[i % own.length]!;
			const now = new Date();
			const from = new Date(now.getTime() - WINDOW_MS);
			const connection = await pool.getConnection();
			try {
				await connection.query('START TRANSACTION');
				await connection.query('SELECT id, username, first_name, last_name, role, created_at, updated_at FROM users WHERE id = ? FOR UPDATE', [userId]);
				await connection.query(facts, [userId, from]);
				await connection.query(records, [userId, from, from]);
				const [audit] = await connection.query<mysql.ResultSetHeader>(insertAudit, [now, '127.0.0.1', 'bench', 'web', null]);
				await connection.query(insertRecord, [userId, date, now, audit.insertId]);
				await connection.query(insertAction, [randomUUID(), userId, 'sign-in', now, now, 'applied', now, audit.insertId]);
				await connection.query('COMMIT');
				writes++;
			} catch {
				errors++;
				await connection.query('ROLLBACK').catch(() => undefined);
			} finally {
				connection.release();
			}
		}
	};
	try {
		await Promise.all(Array.from({ length: loops }, (_, lane) => loop(lane)));
		return { writesPerSec: writes / ((performance.now() - began) / 1000), writes, errors };
	} finally {
		await pool.end();
	}
}
