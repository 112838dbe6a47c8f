/**
 * The admin audit log: who did what to whom, when and from where, newest
 * first, filtered, one page at a time by keyset (`before` = the last id
 * seen), so a page costs the same few statements wherever it is:
 * the people a name filter means (at most two), the page itself, then, for
 * the page's rows only, the facts and logins that explain records without an
 * admin action, and the names of everyone on the page.
 * A sign-in or sign-out is the person acting on themselves: their fact
 * (`actions.audit_id`) names them as both actor and subject.
 */
import { Op, literal, type WhereOptions } from 'sequelize';
import { z } from 'zod';
import { Action, AuditRecord, auditSources, type AuditSource } from '../../db/models/attendance.model';
import { ContactDetail, User } from '../../db/models/people.model';
import { instantOf } from '../../db/queries/person-day.query';
import { adminActions } from './admin-audit';
import { isCalendarDate, localDate, localTime, startOfLocalDay } from './clock';

export const PAGE_SIZE = 50;
const NAME_MATCHES = 200;

export const auditLogActions = [...adminActions, 'sign-in', 'sign-out', 'logged-in'] as const;
export type AuditLogAction = (typeof auditLogActions)[number];

const optionalText = z.string().trim().max(100, 'Names are at most 100 characters.').optional().transform((v) => v || undefined);
const optionalDate = z
	.string()
	.trim()
	.optional()
	.transform((v) => v || undefined)
	.refine((v) => v === undefined || isCalendarDate(v), 'Dates are written YYYY-MM-DD.');

/** The filters as they come from the page's query string. */
export const auditLogQuery = z
	.object({
		actor: optionalText,
		subject: optionalText,
		action: z.enum(auditLogActions, { error: 'Pick an action from the list.' }).optional().or(z.literal('').transform(() => undefined)),
		source: z.enum(auditSources, { error: 'Pick a source from the list.' }).optional().or(z.literal('').transform(() => undefined)),
		from: optionalDate,
		to: optionalDate,
		before: z.coerce.number().int().positive().optional(),
	})
	.refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'The first date must not be after the last.', path: ['to'] });
export type AuditLogQuery = z.infer<typeof auditLogQuery>;

export interface PersonRef {
	id: number;
	name: string;
}

export interface AuditEntry {
	id: number;
	at: string;
	/** Building-local date and time, as people read them. */
	date: string;
	time: string;
	actor: PersonRef | null;
	action: AuditLogAction | 'request';
	subject: PersonRef | null;
	source: AuditSource;
	ip: string | null;
	deviceId: string | null;
	userAgent: string | null;
	details: Record<string, unknown>;
}

export interface AuditPage {
	entries: AuditEntry[];
	/** The `before` of the next (older) page, or null at the end. */
	next: number | null;
}

async function peopleNamed(text: string): Promise<number[]> {
	const words = text.split(/\s+/).filter(Boolean).slice(0, 4);
	const users = await User.findAll({
		attributes: ['id'],
		where: { [Op.and]: words.map((w) => ({ [Op.or]: [{ firstName: { [Op.like]: `%${w}%` } }, { lastName: { [Op.like]: `%${w}%` } }, { username: { [Op.like]: `%${w}%` } }] })) },
		limit: NAME_MATCHES,
		raw: true,
	});
	return users.map((u) => u.id);
}

/** Audit ids whose fact belongs to one of `ids` (or is of `kind`): a subquery, never a list in memory. */
const factAudits = (condition: string) => literal(`(SELECT audit_id FROM actions WHERE audit_id IS NOT NULL AND ${condition})`);
const idList = (ids: number[]) => ids.map((id) => Number(id)).join(',');

export async function auditLogPage(query: AuditLogQuery, pageSize = PAGE_SIZE): Promise<AuditPage> {
	const [actorIds, subjectIds] = await Promise.all([query.actor ? peopleNamed(query.actor) : null, query.subject ? peopleNamed(query.subject) : null]);
	if (actorIds?.length === 0 || subjectIds?.length === 0) return { entries: [], next: null };

	const where: WhereOptions<AuditRecord>[] = [];
	if (query.before) where.push({ id: { [Op.lt]: query.before } });
	if (query.source) where.push({ source: query.source });
	if (query.from) where.push({ at: { [Op.gte]: startOfLocalDay(query.from) } });
	if (query.to) where.push({ at: { [Op.lt]: startOfLocalDay(nextDate(query.to)) } });
	if (query.action === 'sign-in' || query.action === 'sign-out') where.push({ id: { [Op.in]: factAudits(`kind = '${query.action}'`) } });
	else if (query.action === 'logged-in') where.push({ id: { [Op.in]: literal('(SELECT audit_id FROM contact_details WHERE audit_id IS NOT NULL)') } });
	else if (query.action) where.push({ action: query.action });
	if (actorIds) where.push({ [Op.or]: [{ actorId: actorIds }, { actorId: null, id: { [Op.in]: factAudits(`user_id IN (${idList(actorIds)})`) } }] });
	if (subjectIds) where.push({ [Op.or]: [{ subjectId: subjectIds }, { id: { [Op.in]: factAudits(`user_id IN (${idList(subjectIds)})`) } }] });

	const rows = await AuditRecord.findAll({ where: { [Op.and]: where }, order: [['id', 'DESC']], limit: pageSize + 1, raw: true });
	const page = rows.slice(0, pageSize);
	const next = rows.length > pageSize ? page.at(-1)!.id : null;
	return { entries: await explain(page), next };
}

function nextDate(date: string): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + 1);
	return d.toISOString().slice(0, 10);
}

/** Names the people on a page and says what the records without an admin action were. */
async function explain(page: AuditRecord[]): Promise<AuditEntry[]> {
	const plain = page.filter((r) => !r.action).map((r) => r.id);
	const [facts, logins] = plain.length
		? await Promise.all([
				Action.findAll({ where: { auditId: plain }, attributes: ['auditId', 'userId', 'kind'], order: [['receivedAt', 'ASC']], raw: true }),
				ContactDetail.findAll({ where: { auditId: plain }, attributes: ['auditId', 'userId'], raw: true }),
			])
		: [[], []];
	const factOf = new Map(facts.map((f) => [f.auditId!, f]));
	const loginOf = new Map(logins.map((c) => [c.auditId!, c]));
	const ids = new Set<number>();
	for (const r of page) [r.actorId, r.subjectId].forEach((id) => id && ids.add(id));
	for (const f of facts) ids.add(f.userId);
	for (const c of logins) if (c.userId) ids.add(c.userId);
	const users = ids.size ? await User.findAll({ where: { id: [...ids] }, attributes: ['id', 'firstName', 'lastName'], raw: true }) : [];
	const names = new Map(users.map((u) => [u.id, `${u.firstName} ${u.lastName}`]));
	const ref = (id: number | null | undefined): PersonRef | null => (id ? { id, name: names.get(id) ?? `Erased person #${id}` } : null);

	return page.map((r) => {
		const at = instantOf(r.at as Date | string);
		const fact = factOf.get(r.id);
		const login = loginOf.get(r.id);
		const self = fact?.userId ?? login?.userId ?? null;
		const action: AuditEntry['action'] = (r.action as AuditLogAction | null) ?? (fact ? (fact.kind as 'sign-in' | 'sign-out') : login ? 'logged-in' : 'request');
		return {
			id: r.id,
			at: at.toISOString(),
			date: localDate(at),
			time: localTime(at),
			actor: ref(r.actorId ?? self),
			action,
			subject: ref(r.subjectId ?? self),
			source: r.source,
			ip: r.ip,
			deviceId: r.deviceId,
			userAgent: r.userAgent,
			details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : {},
		};
	});
}
