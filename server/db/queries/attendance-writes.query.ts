/**
 * The writes of a sign-in, as raw statements in the caller's transaction:
 * the person's row lock, the audit row, the records and the facts. Nothing
 * waits for a write: on MySQL they all go in the COMMIT's packet, the audit
 * row's id passed on in a session variable (`insertLater`). A sign-in
 * is the hottest write path, and Sequelize's model layer (building, validating
 * and reading back instances), then its query path, cost more CPU than the
 * statements themselves: they go straight to the transaction's connection.
 */
import type { Sequelize } from 'sequelize';
import { insertLater, selectEach, writeLater, type HeldId, type Statement, type TransactionScope, type Value } from './direct-statements';
import { instantParam, personDayStatement, toPersonDay, type PersonDay } from './person-day.query';

export interface PersonRow {
	id: number;
	firstName: string;
	lastName: string;
}

export interface AuditValues {
	at: Date;
	ip: string | null;
	userAgent: string | null;
	source: string;
	deviceId: string | null;
}

/** An audit row's id: known, or (MySQL, same transaction) the variable that will hold it. */
export type AuditId = number | HeldId;

export interface RecordValues {
	userId: number;
	date: string;
	signInAt: Date;
	signInAuditId: AuditId | null;
	signOutAt: Date | null;
	signOutAuditId: AuditId | null;
	/** Where the record began: the location of the fact that opened it. */
	locationId: number | null;
	/** The admin audit row of the last correction of the record. */
	correctedAuditId?: AuditId | null;
}

export interface FactValues {
	id: string;
	userId: number;
	deviceId: string | null;
	kind: string;
	clientAt: Date;
	receivedAt: Date;
	outcome: string;
	reason: string | null;
	at: Date;
	deviceSeq: number | null;
	auditId: AuditId | null;
	locationId: number | null;
	targetAt?: Date | null;
}

/** A person's id and name by id, as both the fold's lock and the app's person read ask it. */
export const PERSON_BY_ID = 'SELECT id, first_name, last_name FROM users WHERE id = ?';
export type PersonNameRow = { id: number | string; first_name: string; last_name: string };
export const toPersonRow = (row: PersonNameRow): PersonRow => ({ id: Number(row.id), firstName: row.first_name, lastName: row.last_name });

/** The person's row, locked (MySQL; SQLite's single writer already runs one transaction at a time). */
function lockStatement(sequelize: Sequelize, userId: number): Statement {
	return { sql: `${PERSON_BY_ID}${sequelize.getDialect() === 'sqlite' ? '' : ' FOR UPDATE'}`, params: [userId] };
}

const personOf = (rows: readonly object[]) => (rows[0] ? toPersonRow(rows[0] as PersonNameRow) : null);

/** Locks the person's row, so two devices of one person are applied one after the other. */
export async function lockPerson(sequelize: Sequelize, userId: number, t: TransactionScope): Promise<PersonRow | null> {
	const [rows] = await selectEach(sequelize, t, [lockStatement(sequelize, userId)]);
	return personOf(rows!);
}

/**
 * Locks the person's row, then reads their facts and records since `from`:
 * on MySQL in one round trip (with the BEGIN), the read still running after
 * the lock is granted, so it sees what the transaction before it committed.
 */
export async function lockPersonAndLoadDay(sequelize: Sequelize, userId: number, from: Date, t: TransactionScope): Promise<{ person: PersonRow | null; day: PersonDay }> {
	const [lock, day] = await selectEach(sequelize, t, [lockStatement(sequelize, userId), personDayStatement(sequelize, userId, from)]);
	return { person: personOf(lock!), day: toPersonDay(day!) };
}

export function insertAudit(sequelize: Sequelize, audit: AuditValues, t: TransactionScope): Promise<AuditId> {
	return insertLater(sequelize, t, 'INSERT INTO audit_records (at, ip, user_agent, source, device_id) VALUES (?, ?, ?, ?, ?)', [
		instantParam(sequelize, audit.at),
		audit.ip,
		audit.userAgent,
		audit.source,
		audit.deviceId,
	]);
}

/** Rows per INSERT: well inside SQLite's 32,766 parameters at 13 columns. */
const ROWS_PER_INSERT = 500;

/** One statement for every row (up to 500): a batch of a day's taps makes several records or facts at once. */
async function insertRows(sequelize: Sequelize, table: string, columns: string[], rows: Value[][], t: TransactionScope): Promise<void> {
	for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
		const chunk = rows.slice(start, start + ROWS_PER_INSERT);
		const placeholders = chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
		await writeLater(sequelize, t, `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders}`, chunk.flat());
	}
}

export function insertRecords(sequelize: Sequelize, records: RecordValues[], t: TransactionScope): Promise<void> {
	const columns = ['user_id', 'date', 'sign_in_at', 'sign_in_audit_id', 'sign_out_at', 'sign_out_audit_id', 'location_id', 'corrected_audit_id'];
	return insertRows(sequelize, 'sign_in_records', columns, records.map((r) => [r.userId, r.date, instantParam(sequelize, r.signInAt), r.signInAuditId, r.signOutAt && instantParam(sequelize, r.signOutAt), r.signOutAuditId, r.locationId, r.correctedAuditId ?? null]), t);
}

export function insertFacts(sequelize: Sequelize, facts: FactValues[], t: TransactionScope): Promise<void> {
	const columns = ['id', 'user_id', 'device_id', 'kind', 'client_at', 'received_at', 'outcome', 'reason', 'at', 'device_seq', 'audit_id', 'location_id', 'target_at'];
	const at = (d: Date) => instantParam(sequelize, d);
	const rows = facts.map((f) => [f.id, f.userId, f.deviceId, f.kind, at(f.clientAt), at(f.receivedAt), f.outcome, f.reason, at(f.at), f.deviceSeq, f.auditId, f.locationId, f.targetAt ? at(f.targetAt) : null]);
	return insertRows(sequelize, 'actions', columns, rows, t);
}

export async function closeRecord(sequelize: Sequelize, id: number, signOutAt: Date | null, signOutAuditId: AuditId | null, t: TransactionScope): Promise<void> {
	await writeLater(sequelize, t, 'UPDATE sign_in_records SET sign_out_at = ?, sign_out_audit_id = ? WHERE id = ?', [signOutAt && instantParam(sequelize, signOutAt), signOutAuditId, id]);
}

/** A record whose start or correction changed (an admin correction): every column the fold decides. */
export async function reviseRecord(
	sequelize: Sequelize,
	id: number,
	values: { date: string; signInAt: Date; signOutAt: Date | null; signOutAuditId: AuditId | null; correctedAuditId: AuditId | null },
	t: TransactionScope,
): Promise<void> {
	await writeLater(sequelize, t, 'UPDATE sign_in_records SET date = ?, sign_in_at = ?, sign_out_at = ?, sign_out_audit_id = ?, corrected_audit_id = ? WHERE id = ?', [
		values.date,
		instantParam(sequelize, values.signInAt),
		values.signOutAt && instantParam(sequelize, values.signOutAt),
		values.signOutAuditId,
		values.correctedAuditId,
		id,
	]);
}

export async function deleteRecords(sequelize: Sequelize, ids: number[], t: TransactionScope): Promise<void> {
	if (ids.length === 0) return;
	await writeLater(sequelize, t, `DELETE FROM sign_in_records WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
}
