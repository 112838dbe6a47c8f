/**
 * The fold's statements go straight to the transaction's driver connection
 * (server/db/queries/direct-statements.ts): inside the caller's transaction,
 * with the database's errors as Sequelize's own, counted by its logger.
 */
import { randomUUID } from 'node:crypto';
import { UniqueConstraintError } from 'sequelize';
import { expect, it } from 'vitest';
import { database, transaction } from '../../server/db/database';
import { directTransaction } from '../../server/db/direct-transaction';
import { Action, AuditRecord, SignInRecord } from '../../server/db/models/attendance.model';
import { insertAudit, insertFacts, type AuditId, type FactValues } from '../../server/db/queries/attendance-writes.query';
import { readRows, selectEach, selectRows, type TransactionScope } from '../../server/db/queries/direct-statements';
import { useTestDatabase } from './support/database';
import { newUser } from './support/factories';
import { countStatements } from './support/statements';

const db = await useTestDatabase();

const at = new Date('2026-03-10T09:00:00.123Z');
const fact = (userId: number, auditId: AuditId): FactValues => ({
	id: randomUUID(),
	userId,
	deviceId: 'phone',
	kind: 'sign-in',
	clientAt: at,
	receivedAt: at,
	outcome: 'applied',
	reason: null,
	at,
	deviceSeq: 1,
	auditId,
	locationId: null,
});
const audit = { at, ip: '192.0.2.1', userAgent: 'test', source: 'web', deviceId: null };
/** One fact with its audit row, inside `t`; answers the fact as stored. */
async function storeFact(userId: number, t: TransactionScope): Promise<FactValues> {
	const value = fact(userId, await insertAudit(database(), audit, t));
	await insertFacts(database(), [value], t);
	return value;
}

db.describe(`statements sent straight to the driver (${db.dialect})`, () => {
	it('writes inside the caller transaction: a rollback takes them back, a commit keeps them with their instants to the millisecond', async () => {
		const user = await newUser();
		const rolledBack = transaction(async (t) => {
			await insertFacts(database(), [fact(user.id, await insertAudit(database(), audit, t))], t);
			throw new Error('changed my mind');
		});
		await expect(rolledBack).rejects.toThrow('changed my mind');
		expect(await Action.count({ where: { userId: user.id } })).toBe(0);

		const { statements } = await countStatements(() => transaction(async (t) => insertFacts(database(), [fact(user.id, await insertAudit(database(), audit, t))], t)));
		const stored = await Action.findAll({ where: { userId: user.id } });
		expect(stored.map((a) => a.at?.toISOString())).toEqual([at.toISOString()]);
		expect(statements.filter((s) => /INSERT INTO (audit_records|actions)/.test(s))).toHaveLength(2);
	});

	it("turns the database's unique violation into Sequelize's UniqueConstraintError, so a batch falls back to one action at a time", async () => {
		const user = await newUser();
		const once = await transaction((t) => storeFact(user.id, t));
		await expect(transaction((t) => insertFacts(database(), [once], t))).rejects.toBeInstanceOf(UniqueConstraintError);
		expect(await Action.count({ where: { userId: user.id } })).toBe(1);
	});

	it('reads outside transactions on a connection of their own: a page view is not held up by an open write transaction', async () => {
		const user = await newUser({ firstName: 'Rhea' });
		let finish!: () => void;
		const held = new Promise<void>((resolve) => (finish = resolve));
		let inside!: () => void;
		const started = new Promise<void>((resolve) => (inside = resolve));
		const writing = transaction(async (t) => {
			await insertAudit(database(), audit, t);
			inside();
			await held;
		});
		await started;
		const { statements, result } = await countStatements(() => readRows<{ first_name: string }>(database(), 'SELECT first_name FROM users WHERE id = ?', [user.id]));
		expect(result).toEqual([{ first_name: 'Rhea' }]);
		expect(statements).toHaveLength(1);
		finish();
		await writing;
	});

	it('keeps all of a direct transaction or none of it, and on SQLite waits for the writer like any transaction', async () => {
		const user = await newUser();
		const failed = directTransaction(async (t) => {
			await insertFacts(database(), [fact(user.id, await insertAudit(database(), audit, t))], t);
			throw new Error('poison');
		});
		await expect(failed).rejects.toThrow('poison');
		expect(await Action.count({ where: { userId: user.id } })).toBe(0);

		const order: string[] = [];
		let finish!: () => void;
		const held = new Promise<void>((resolve) => (finish = resolve));
		let inside!: () => void;
		const started = new Promise<void>((resolve) => (inside = resolve));
		const sequelizeOne = transaction(async (t) => {
			await insertAudit(database(), audit, t);
			inside();
			await held;
			order.push('sequelize committed');
		});
		await started;
		const direct = directTransaction(async (t) => {
			order.push('direct began');
			await insertFacts(database(), [fact(user.id, await insertAudit(database(), audit, t))], t);
		}).then(() => order.push('direct committed'));
		await new Promise((resolve) => setTimeout(resolve, 50));
		finish();
		await Promise.all([sequelizeOne, direct]);
		expect(await Action.count({ where: { userId: user.id } })).toBe(1);
		// One writer on SQLite: the direct transaction began after the other ended. MySQL runs them side by side on two connections.
		if (db.dialect === 'sqlite') expect(order).toEqual(['sequelize committed', 'direct began', 'direct committed']);
		else expect(order).toEqual(['direct began', 'direct committed', 'sequelize committed']);
	});

	it('fails the whole direct transaction when a write held back for the COMMIT fails: Sequelize\'s error, nothing kept, the connection lent again clean', async () => {
		const user = await newUser();
		const stored = await directTransaction((t) => storeFact(user.id, t));
		const marked = { ...audit, userAgent: `held-${randomUUID()}` };
		const { result: failed, roundTrips } = await countStatements(() =>
			directTransaction(async (t) => {
				await insertAudit(database(), marked, t);
				await insertFacts(database(), [stored], t); // the same fact id again: held until the COMMIT on MySQL
			}).catch((error: unknown) => error),
		);
		expect(failed).toBeInstanceOf(UniqueConstraintError);
		// MySQL: BEGIN, the audit row, the fact and the COMMIT in one packet, then the ROLLBACK.
		if (db.dialect === 'mysql') expect(roundTrips).toBe(2);
		// A connection given back inside the failed transaction would commit its audit row at the next BEGIN.
		for (let i = 0; i < 3; i++) await directTransaction((t) => insertAudit(database(), audit, t));
		expect(await AuditRecord.count({ where: { userAgent: marked.userAgent } })).toBe(0);
		expect(await Action.count({ where: { userId: user.id } })).toBe(1);
	});

	it('points each row at the audit row it was given, when the audit rows themselves wait for the COMMIT', async () => {
		const user = await newUser();
		const sources = ['web', 'kiosk', 'poster'];
		const { result: facts, roundTrips } = await countStatements(() =>
			directTransaction(async (t) => {
				const values: FactValues[] = [];
				for (const source of sources) values.push(fact(user.id, await insertAudit(database(), { ...audit, source }, t)));
				await insertFacts(database(), values, t);
				return values;
			}),
		);
		// MySQL: the three audit rows, their ids kept in session variables, the facts and the COMMIT: one packet.
		if (db.dialect === 'mysql') expect(roundTrips).toBe(1);
		const stored = await Action.findAll({ where: { userId: user.id } });
		const audits = new Map((await AuditRecord.findAll({ where: { id: stored.map((a) => a.auditId!) } })).map((a) => [a.id, a.source]));
		const sourceOf = new Map(stored.map((a) => [a.id, audits.get(a.auditId!)]));
		expect(facts.map((f) => sourceOf.get(f.id))).toEqual(sources);
	});

	it.skipIf(db.dialect !== 'mysql')("sends several statements in one packet only on the direct transactions' connections, never on Sequelize's", async () => {
		await expect(database().query('SELECT 1 AS one; SELECT 2 AS two')).rejects.toThrow(/SQL syntax/);
		await expect(readRows(database(), 'SELECT 1 AS one; SELECT 2 AS two', [])).rejects.toThrow(/SQL syntax/);
		const { result, roundTrips } = await countStatements(() =>
			directTransaction((t) =>
				selectEach(database(), t, [
					{ sql: 'SELECT ? AS one', params: [1] },
					{ sql: 'SELECT ? AS two', params: ['2; DROP TABLE users'] },
				]),
			),
		);
		expect(result).toEqual([[{ one: 1 }], [{ two: '2; DROP TABLE users' }]]);
		expect(roundTrips).toBe(2); // BEGIN with both reads, then the COMMIT
	});

	it.skipIf(db.dialect !== 'sqlite')('refuses a transaction begun without its parent inside one already on the SQLite writer, leaving the enclosing one whole', async () => {
		const marked = { ...audit, userAgent: `held-${randomUUID()}` };
		let refusal: unknown;
		await directTransaction(async (t) => {
			await insertAudit(database(), marked, t);
			// Begun the way a helper that forgot its `t` would. Sent, its BEGIN would fail and its ROLLBACK end this
			// transaction: the first row gone, the second autocommitted, and this COMMIT failing.
			await transaction(async (inner) => insertAudit(database(), marked, inner)).catch((error: unknown) => (refusal = error));
			await insertAudit(database(), marked, t);
		});
		expect(refusal).toBeInstanceOf(Error);
		expect((refusal as Error).message).toContain('cannot begin without its parent');
		expect(await AuditRecord.count({ where: { userAgent: marked.userAgent } })).toBe(2);
	});

	it.skipIf(db.dialect !== 'sqlite')('ends a transaction a failed COMMIT left open on the SQLite writer, so the next sign-in still commits', async () => {
		// A deferred foreign key fails at COMMIT, and SQLite then leaves the transaction open; Sequelize gives up on it.
		const failing = transaction(async (t) => {
			await database().query('PRAGMA defer_foreign_keys = ON', { transaction: t });
			await SignInRecord.create({ userId: 2_000_000_000, date: '2026-03-10', signInAt: at }, { transaction: t });
		});
		await expect(failing).rejects.toThrow(/FOREIGN KEY/);
		const user = await newUser();
		await directTransaction((t) => storeFact(user.id, t));
		expect(await Action.count({ where: { userId: user.id } })).toBe(1);
		expect(await SignInRecord.count({ where: { userId: 2_000_000_000 } })).toBe(0);
	});

	it.skipIf(db.dialect !== 'sqlite')('commits durably on the SQLite writer (synchronous FULL), whatever the driver was built with', async () => {
		const [setting] = await directTransaction((t) => selectRows<{ synchronous: number }>(database(), t, 'PRAGMA synchronous', []));
		expect(setting).toEqual({ synchronous: 2 });
	});
});
