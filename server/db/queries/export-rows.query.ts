/**
 * The exports' pages, read by keyset (the last row's key, never OFFSET), so
 * each page costs the same however deep into two years the export is, and
 * only one page is ever held in memory. Both use the (date, user_id) index:
 * the key condition is written as a range on date first (`date >= d AND
 * (date > d OR user_id > u)`), which a planner turns into an index range,
 * where the plainer `date > d OR (date = d AND ...)` made SQLite scan from
 * the start on every page.
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

// Grouped by the index's own columns inside, names joined outside: grouping by the username too made
// the planner group the whole rest of the range in a temporary tree before LIMIT, on every page.
const VISITS = `
SELECT g.date, g.user_id, u.username, g.first_in, g.last_in, g.last_out, g.last_open_in
  FROM (SELECT date, user_id, MIN(sign_in_at) AS first_in, MAX(sign_in_at) AS last_in, MAX(sign_out_at) AS last_out,
               MAX(CASE WHEN sign_out_at IS NULL THEN sign_in_at END) AS last_open_in
          FROM sign_in_records
         WHERE date >= :date AND date <= :to AND (date > :date OR user_id > :userId)
         GROUP BY date, user_id
         ORDER BY date, user_id
         LIMIT :limit) g
  JOIN users u ON u.id = g.user_id
 ORDER BY g.date, g.user_id`;

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

// Dates whose records retention deleted keep their figures in daily_counts (issue 11); a date with
// records again (a late offline sign-in) is counted from its records.
const STATS = `
SELECT date, distinct_users, not_signed_out FROM (
  SELECT date, COUNT(DISTINCT user_id) AS distinct_users,
         COUNT(DISTINCT CASE WHEN sign_out_at IS NULL THEN user_id END) AS not_signed_out
    FROM sign_in_records
   WHERE date > :after AND date <= :to
   GROUP BY date
  UNION ALL
  SELECT c.date, c.distinct_users, c.not_signed_out
    FROM daily_counts c
   WHERE c.date > :after AND c.date <= :to
     AND NOT EXISTS (SELECT 1 FROM sign_in_records r WHERE r.date = c.date)
) figures
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
