/**
 * What the fold of a person's facts needs from the database, in one
 * statement: their facts since `from`, and their records that began since
 * `from` or were still open then. Raw SQL with plain rows, because this runs
 * on every sign-in and Sequelize's model layer costs more than the query.
 */
import type { Sequelize } from 'sequelize';
import { readRows, selectRows, type Statement, type TransactionScope } from './direct-statements';

export interface StoredFact {
	id: string;
	kind: string;
	at: Date;
	deviceId: string | null;
	seq: number | null;
	receivedAt: Date;
	auditId: number | null;
	locationId: number | null;
	/** For a correction: the sign-in time of the record it corrects. */
	targetAt: Date | null;
}

export interface StoredRecord {
	id: number;
	date: string;
	signInAt: Date;
	signOutAt: Date | null;
	correctedAuditId: number | null;
}

interface Row {
	row_type: 'f' | 'r';
	fact_id: string | null;
	kind: string | null;
	at: Date | string | null;
	device_id: string | null;
	device_seq: number | string | null;
	received_at: Date | string | null;
	audit_id: number | string | null;
	location_id: number | string | null;
	target_at: Date | string | null;
	corrected_audit_id: number | string | null;
	record_id: number | string | null;
	date: string | Date | null;
	sign_in_at: Date | string | null;
	sign_out_at: Date | string | null;
}

const SQL = `
SELECT 'f' AS row_type, id AS fact_id, kind, at, device_id, device_seq, received_at, audit_id, location_id, target_at,
       NULL AS corrected_audit_id, NULL AS record_id, NULL AS date, NULL AS sign_in_at, NULL AS sign_out_at
  FROM actions WHERE user_id = ? AND at >= ?
UNION ALL
SELECT 'r', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, corrected_audit_id, id, date, sign_in_at, sign_out_at
  FROM sign_in_records WHERE user_id = ? AND (sign_in_at >= ? OR sign_out_at IS NULL OR sign_out_at >= ?)`;

/**
 * An instant as a parameter of a raw statement, in the text each database
 * keeps: MySQL's DATETIME(3) with its milliseconds (Sequelize's escape drops
 * them, which would reorder facts of the same second), and SQLite's text as
 * Sequelize writes it ("2026-01-12 08:00:00.000 +00:00"), which compares in
 * time order.
 */
export function instantParam(sequelize: Sequelize, at: Date): string {
	const text = at.toISOString().replace('T', ' ').replace('Z', '');
	return sequelize.getDialect() === 'sqlite' ? `${text} +00:00` : text;
}

/** SQLite hands instants back as text ("2026-01-12 08:00:00.000 +00:00"), MySQL as Dates. */
export function instantOf(value: Date | string): Date {
	if (value instanceof Date) return value;
	return new Date(value.replace(' ', 'T').replace(/ ?\+00:00$/, 'Z'));
}

const dateOnly = (value: string | Date) => (value instanceof Date ? value.toISOString().slice(0, 10) : value.slice(0, 10));
const numberOrNull = (value: number | string | null) => (value === null ? null : Number(value));

export interface PersonDay {
	facts: StoredFact[];
	records: StoredRecord[];
}

/** The statement that reads a person's facts and records since `from` (see {@link toPersonDay}). */
export function personDayStatement(sequelize: Sequelize, userId: number, from: Date): Statement {
	const since = instantParam(sequelize, from);
	return { sql: SQL, params: [userId, since, userId, since, since] };
}

export function toPersonDay(rows: readonly object[]): PersonDay {
	const facts: StoredFact[] = [];
	const records: StoredRecord[] = [];
	for (const row of rows as Row[]) {
		if (row.row_type === 'f') {
			facts.push({
				id: row.fact_id!,
				kind: row.kind!,
				at: instantOf(row.at!),
				deviceId: row.device_id,
				seq: numberOrNull(row.device_seq),
				receivedAt: instantOf(row.received_at!),
				auditId: numberOrNull(row.audit_id),
				locationId: numberOrNull(row.location_id),
				targetAt: row.target_at === null ? null : instantOf(row.target_at),
			});
		} else {
			records.push({
				id: Number(row.record_id),
				date: dateOnly(row.date!),
				signInAt: instantOf(row.sign_in_at!),
				signOutAt: row.sign_out_at === null ? null : instantOf(row.sign_out_at),
				correctedAuditId: numberOrNull(row.corrected_audit_id),
			});
		}
	}
	return { facts, records };
}

/** The person's open records (current or not): what the staff page asks on every view. */
export async function openRecordsOf(sequelize: Sequelize, userId: number, t?: TransactionScope): Promise<Array<Pick<StoredRecord, 'date' | 'signInAt'>>> {
	const sql = 'SELECT date, sign_in_at FROM sign_in_records WHERE user_id = ? AND sign_out_at IS NULL';
	type OpenRow = { date: string | Date; sign_in_at: Date | string };
	const rows = t ? await selectRows<OpenRow>(sequelize, t, sql, [userId]) : await readRows<OpenRow>(sequelize, sql, [userId]);
	return rows.map((row) => ({ date: dateOnly(row.date), signInAt: instantOf(row.sign_in_at) }));
}
