/**
 * The records a report shows, with who they belong to, where they began, how
 * (the audit source) and their last correction, in one raw statement with
 * flat rows. The admin screens refresh this all day: Sequelize's includes
 * with `nest` spent more time building nested objects than the query took.
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import type { AuditSource } from '../models/attendance.model';
import { instantOf } from './person-day.query';

export interface ReportRecordRow {
	id: number;
	userId: number;
	firstName: string;
	lastName: string;
	date: string;
	signInAt: Date;
	signOutAt: Date | null;
	/** Set by the end-of-day job on a record left open past the maximum shift. */
	didNotSignOutAt: Date | null;
	location: string | null;
	source: AuditSource | null;
	correctedAt: Date | null;
	correctedBy: string | null;
	correctionDetails: string | null;
}

interface Row {
	id: number | string;
	user_id: number | string;
	first_name: string;
	last_name: string;
	date: string | Date;
	sign_in_at: Date | string;
	sign_out_at: Date | string | null;
	did_not_sign_out_at: Date | string | null;
	location: string | null;
	source: AuditSource | null;
	corrected_at: Date | string | null;
	corrected_by: string | null;
	correction_details: string | null;
}

export type ReportRecordFilter = { from: string; to: string; userId?: number };

const SQL = (byUser: boolean) => `
SELECT r.id, r.user_id, u.first_name, u.last_name, r.date, r.sign_in_at, r.sign_out_at, r.did_not_sign_out_at,
       l.name AS location, a.source, c.at AS corrected_at, actor.first_name AS corrected_by, c.details AS correction_details
  FROM sign_in_records r
  JOIN users u ON u.id = r.user_id
  LEFT JOIN locations l ON l.id = r.location_id
  LEFT JOIN audit_records a ON a.id = r.sign_in_audit_id
  LEFT JOIN audit_records c ON c.id = r.corrected_audit_id
  LEFT JOIN users actor ON actor.id = c.actor_id
 WHERE r.date BETWEEN :from AND :to${byUser ? ' AND r.user_id = :userId' : ''}
 ORDER BY r.sign_in_at, r.id`;

// MySQL gives DATE columns back as Dates at local midnight of the connection's zone (UTC here).
const dateOnly = (value: string | Date) => (value instanceof Date ? value.toISOString().slice(0, 10) : value.slice(0, 10));

export async function reportRecordRows(sequelize: Sequelize, filter: ReportRecordFilter): Promise<ReportRecordRow[]> {
	const rows = await sequelize.query<Row>(SQL(filter.userId !== undefined), { replacements: filter, type: QueryTypes.SELECT });
	return rows.map((row) => ({
		id: Number(row.id),
		userId: Number(row.user_id),
		firstName: row.first_name,
		lastName: row.last_name,
		date: dateOnly(row.date),
		signInAt: instantOf(row.sign_in_at),
		signOutAt: row.sign_out_at === null ? null : instantOf(row.sign_out_at),
		didNotSignOutAt: row.did_not_sign_out_at === null ? null : instantOf(row.did_not_sign_out_at),
		location: row.location,
		source: row.source,
		correctedAt: row.corrected_at === null ? null : instantOf(row.corrected_at),
		correctedBy: row.corrected_by,
		correctionDetails: row.correction_details,
	}));
}
