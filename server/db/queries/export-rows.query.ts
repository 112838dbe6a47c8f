/**
 * The exports' pages, read by keyset (the last row's key, never OFFSET), so
 * each page costs the same however deep into two years the export is, and
 * only one page is ever held in memory. Both use the (date, user_id) index.
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import { instantOf } from './person-day.query';

export interface VisitRow {
	date: string;
	userId: number;
	username: string;
	firstIn: Date;
	/** The last sign-out of the day, or null when the day's last sign-in is still open. */
	lastOut: Date | null;
}

export interface StatRow {
	date: string;
	distinctUsers: number;
	notSignedOut: number;
}

export interface VisitKey {
	date: string;
	userId: number;
}

const dateOnly = (value: string | Date) => (value instanceof Date ? value.toISOString().slice(0, 10) : value.slice(0, 10));

const VISITS = `
SELECT r.date AS date, r.user_id AS user_id, u.username AS username,
       MIN(r.sign_in_at) AS first_in, MAX(r.sign_in_at) AS last_in, MAX(r.sign_out_at) AS last_out,
       MAX(CASE WHEN r.sign_out_at IS NULL THEN r.sign_in_at END) AS last_open_in
  FROM sign_in_records r JOIN users u ON u.id = r.user_id
 WHERE r.date <= :to AND (r.date > :date OR (r.date = :date AND r.user_id > :userId))
 GROUP BY r.date, r.user_id, u.username
 ORDER BY r.date, r.user_id
 LIMIT :limit`;

type Instant = Date | string;
interface RawVisit { date: string | Date; user_id: number | string; username: string; first_in: Instant; last_in: Instant; last_out: Instant | null; last_open_in: Instant | null }

/** The visits after `after` (exclusive) up to `to`, at most `limit` of them. */
export async function visitsPage(sequelize: Sequelize, after: VisitKey, to: string, limit: number): Promise<VisitRow[]> {
	const rows = await sequelize.query<RawVisit>(VISITS, { replacements: { to, date: after.date, userId: after.userId, limit }, type: QueryTypes.SELECT });
	return rows.map((row) => {
		const lastIn = instantOf(row.last_in);
		const lastOpenIn = row.last_open_in === null ? null : instantOf(row.last_open_in);
		const stillIn = lastOpenIn !== null && lastOpenIn.getTime() === lastIn.getTime();
		return {
			date: dateOnly(row.date),
			userId: Number(row.user_id),
			username: row.username,
			firstIn: instantOf(row.first_in),
			lastOut: stillIn || row.last_out === null ? null : instantOf(row.last_out),
		};
	});
}

const STATS = `
SELECT date, COUNT(DISTINCT user_id) AS distinct_users,
       COUNT(DISTINCT CASE WHEN sign_out_at IS NULL THEN user_id END) AS not_signed_out
  FROM sign_in_records
 WHERE date > :after AND date <= :to
 GROUP BY date
 ORDER BY date
 LIMIT :limit`;

/** The per-date figures after `after` (exclusive) up to `to`. */
export async function statsPage(sequelize: Sequelize, after: string, to: string, limit: number): Promise<StatRow[]> {
	const rows = await sequelize.query<{ date: string | Date; distinct_users: number | string; not_signed_out: number | string }>(STATS, {
		replacements: { after, to, limit },
		type: QueryTypes.SELECT,
	});
	return rows.map((row) => ({ date: dateOnly(row.date), distinctUsers: Number(row.distinct_users), notSignedOut: Number(row.not_signed_out) }));
}
