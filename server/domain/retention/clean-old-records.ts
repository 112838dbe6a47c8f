/**
 * Retention (the original's `clean-old-records`): sign-in records older
 * than N days are deleted, then the people left with no records who hold no
 * role (admins and marshals are kept), then the audit stamps nothing refers
 * to any more. Before any record goes, each of its dates keeps its
 * anonymous figures in `daily_counts`, so the stats and charts survive.
 *
 * Beyond the original: the facts (the `actions` ledger) of the deleted days
 * go with their records, since they are the same personal data; a person
 * created within the period is kept even with no record yet (the original
 * deleted someone who had just logged in and not yet signed in); admin
 * audit records (who changed what) are kept, as the admin log.
 */
import { Op, QueryTypes, type Transaction } from 'sequelize';
import { database, transaction } from '../../db/database';
import { Action, AuditRecord, SignInRecord } from '../../db/models/attendance.model';
import { DailyCount, Delivery, RollCallEntry } from '../../db/models/operations.model';
import { Badge, ContactDetail, ExternalIdentity, LoginCode, LoginToken, Session, User, UserSettings } from '../../db/models/people.model';
import { repointReferences } from '../people/people-merge';
import { addDays, localDate, now as clockNow, startOfLocalDay } from '../shared/clock';

export interface RetentionCounts {
	/** Records are kept from this building-local date on. */
	keptFrom: string;
	records: number;
	dates: number;
	users: number;
	audits: number;
}

interface DateFigures {
	date: string | Date;
	distinct_users: number | string;
	not_signed_out: number | string;
}

const dateOnly = (value: string | Date) => (value instanceof Date ? value.toISOString().slice(0, 10) : value.slice(0, 10));

/**
 * Audit stamps (no admin action) that nothing refers to. A stamp is always
 * written in the same transaction as the row that refers to it, so one
 * this statement sees unreferenced is an orphan, not one still being written.
 */
const ORPHAN_AUDITS = `
FROM audit_records
WHERE action IS NULL
  AND id NOT IN (SELECT audit_id FROM contact_details WHERE audit_id IS NOT NULL)
  AND id NOT IN (SELECT sign_in_audit_id FROM sign_in_records WHERE sign_in_audit_id IS NOT NULL)
  AND id NOT IN (SELECT sign_out_audit_id FROM sign_in_records WHERE sign_out_audit_id IS NOT NULL)
  AND id NOT IN (SELECT corrected_audit_id FROM sign_in_records WHERE corrected_audit_id IS NOT NULL)
  AND id NOT IN (SELECT audit_id FROM actions WHERE audit_id IS NOT NULL)`;

async function staleUserIds(before: Date, t?: Transaction): Promise<number[]> {
	const rows = await database().query<{ id: number | string }>(
		`SELECT u.id FROM users u
		  WHERE u.role = 'staff' AND u.created_at < :before
		    AND NOT EXISTS (SELECT 1 FROM sign_in_records r WHERE r.user_id = u.id)`,
		{ replacements: { before }, type: QueryTypes.SELECT, transaction: t },
	);
	return rows.map((r) => Number(r.id));
}

/** Keeps each old date's figures (added to any kept before, should a late record have reached an old date). */
async function keepDailyCounts(keptFrom: string, t: Transaction): Promise<number> {
	const rows = await database().query<DateFigures>(
		`SELECT date, COUNT(DISTINCT user_id) AS distinct_users, COUNT(DISTINCT CASE WHEN sign_out_at IS NULL THEN user_id END) AS not_signed_out
		   FROM sign_in_records WHERE date < :keptFrom GROUP BY date`,
		{ replacements: { keptFrom }, type: QueryTypes.SELECT, transaction: t },
	);
	if (rows.length === 0) return 0;
	const dates = rows.map((r) => dateOnly(r.date));
	const kept = new Map((await DailyCount.findAll({ where: { date: dates }, transaction: t })).map((c) => [c.date, c]));
	await DailyCount.bulkCreate(
		rows.map((r) => {
			const date = dateOnly(r.date);
			return {
				date,
				distinctUsers: Number(r.distinct_users) + (kept.get(date)?.distinctUsers ?? 0),
				notSignedOut: Number(r.not_signed_out) + (kept.get(date)?.notSignedOut ?? 0),
			};
		}),
		{ updateOnDuplicate: ['distinctUsers', 'notSignedOut'], transaction: t },
	);
	return rows.length;
}

/** Everything of these people, then the people (SQLite does not enforce the foreign keys' cascades). */
async function deleteUsers(ids: number[], t: Transaction): Promise<void> {
	if (ids.length === 0) return;
	const contacts = await ContactDetail.findAll({ where: { userId: ids }, attributes: ['id'], transaction: t });
	await LoginCode.destroy({ where: { contactId: contacts.map((c) => c.id) }, transaction: t });
	for (const model of [ContactDetail, Session, Badge, Action, LoginToken, ExternalIdentity, Delivery, RollCallEntry, UserSettings] as const) {
		await (model as typeof Session).destroy({ where: { userId: ids }, transaction: t });
	}
	await database().query('DELETE FROM user_aliases WHERE user_id IN (:ids) OR old_user_id IN (:ids)', { replacements: { ids }, transaction: t });
	await repointReferences(ids, null, t);
	await User.destroy({ where: { id: ids }, transaction: t });
}

async function clean(days: number, now: Date, t: Transaction): Promise<RetentionCounts> {
	const keptFrom = addDays(localDate(now), -days);
	const before = startOfLocalDay(keptFrom);
	const dates = await keepDailyCounts(keptFrom, t);
	await Action.destroy({ where: { [Op.or]: [{ at: { [Op.lt]: before } }, { at: null, receivedAt: { [Op.lt]: before } }] }, transaction: t });
	const records = await SignInRecord.destroy({ where: { date: { [Op.lt]: keptFrom } }, transaction: t });
	const users = await staleUserIds(before, t);
	await deleteUsers(users, t);
	const orphans = await database().query<{ id: number | string }>(`SELECT id ${ORPHAN_AUDITS}`, { type: QueryTypes.SELECT, transaction: t });
	const auditIds = orphans.map((o) => Number(o.id));
	for (let i = 0; i < auditIds.length; i += 1000) await AuditRecord.destroy({ where: { id: auditIds.slice(i, i + 1000) }, transaction: t });
	return { keptFrom, records, dates, users: users.length, audits: auditIds.length };
}

/** Deletes what is older than `days` days, keeping the daily figures; answers what went. */
export function cleanOldRecords(days: number, now = clockNow()): Promise<RetentionCounts> {
	return transaction((t) => clean(days, now, t));
}

class DryRun extends Error {
	constructor(readonly counts: RetentionCounts) {
		super('dry run');
	}
}

/** Exactly what a run would delete, by running it and rolling it back (the command's dry run). */
export async function retentionPreview(days: number, now = clockNow()): Promise<RetentionCounts> {
	try {
		await transaction(async (t) => {
			throw new DryRun(await clean(days, now, t));
		});
	} catch (error) {
		if (error instanceof DryRun) return error.counts;
		throw error;
	}
	throw new Error('unreachable');
}
