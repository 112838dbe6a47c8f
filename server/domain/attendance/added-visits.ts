/**
 * An admin records a visit no device recorded (the person forgot their
 * phone). Like a correction, it is a pair of correction facts in the
 * person's fold (a sign-in with no target, a sign-out aimed at it), so later
 * device facts cannot undo it, with its audit row (who, why) in the same
 * transaction. A visit that would overlap one the person already has is
 * refused: the fold would otherwise swallow the device visit into the new one.
 */
import { randomUUID } from 'node:crypto';
import { Op } from 'sequelize';
import { config } from '../../config';
import { transaction, database } from '../../db/database';
import { SignInRecord } from '../../db/models/attendance.model';
import { lockPerson } from '../../db/queries/attendance-writes.query';
import { instantOfLocal } from '../../../src/lib/contracts/building-time';
import type { VisitForm } from '../../../src/lib/contracts/reports';
import { writeAdminAudit, type AdminActor } from '../shared/admin-audit';
import { DomainError } from '../shared/errors';
import { events } from '../shared/events';
import { localDate, localTime, startOfLocalDay } from '../shared/clock';
import { foldRules } from './attendance';
import { recordFacts, type NewFact } from './fact-store';

const DAY_MS = 86_400_000;

/** Until when a visit counts as in: its sign-out, or while an open record is current (its date, or the maximum shift), never past `now`. */
export function inUntil(visit: { date: string; signInAt: Date; signOutAt: Date | null }, maxShiftMs: number, now: Date, zone?: string): Date {
	if (visit.signOutAt) return visit.signOutAt;
	const current = Math.max(startOfLocalDay(new Date(Date.parse(`${visit.date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10), zone).getTime(), visit.signInAt.getTime() + maxShiftMs);
	return new Date(Math.min(current, now.getTime()));
}

export interface AddedVisit {
	userId: number;
	date: string;
	recordId: number;
	signInAt: Date;
	signOutAt: Date | null;
}

function instant(date: string, time: string, field: 'signIn' | 'signOut'): Date {
	const at = instantOfLocal(config().buildingTz, `${date}T${time}`);
	// Years before 100 come back as 19xx from Date.UTC: a date that does not survive the round trip is refused.
	if (Number.isNaN(at.getTime()) || localDate(at) !== date) throw new DomainError('invalid-input', 'That is not a real date and time.', field);
	return at;
}

/** The visit's instants, or a clear refusal: in the past, the sign-out after the sign-in on the same day. */
export function visitTimes(input: Pick<VisitForm, 'date' | 'signIn' | 'signOut'>, now: Date): { signInAt: Date; signOutAt: Date | null } {
	const signInAt = instant(input.date, input.signIn, 'signIn');
	const signOutAt = input.signOut ? instant(input.date, input.signOut, 'signOut') : null;
	if (signInAt > now) throw new DomainError('invalid-input', 'A visit cannot begin in the future.', 'signIn');
	if (signOutAt && signOutAt <= signInAt) throw new DomainError('invalid-input', 'The sign-out must be after the sign-in.', 'signOut');
	if (signOutAt && signOutAt > now) throw new DomainError('invalid-input', 'The sign-out cannot be in the future: leave it empty while they are still in.', 'signOut');
	return { signInAt, signOutAt };
}

/** Records a visit for `userId` as `actor`; nothing is saved when it is refused. */
export async function addVisit(actor: AdminActor, userId: number, input: VisitForm, now = new Date()): Promise<AddedVisit> {
	const { signInAt, signOutAt } = visitTimes(input, now);
	const rules = await foldRules();
	const result = await transaction(async (t) => {
		// Locked before looking for overlaps, so a tap arriving meanwhile waits for this visit.
		const person = await lockPerson(database(), userId, t);
		if (!person) throw new DomainError('not-found', 'No such user.');
		const date = localDate(signInAt);
		const end = inUntil({ date, signInAt, signOutAt }, rules.maxShiftMs, now);
		const nearby = await SignInRecord.findAll({
			where: { userId, signInAt: { [Op.gte]: new Date(signInAt.getTime() - 2 * DAY_MS), [Op.lte]: end } },
			order: [['signInAt', 'ASC']],
			transaction: t,
		});
		const overlap = nearby.find((r) => r.signInAt.getTime() <= end.getTime() && inUntil(r, rules.maxShiftMs, now) >= signInAt);
		if (overlap) {
			const until = overlap.signOutAt ? localTime(overlap.signOutAt) : 'still in';
			throw new DomainError('conflict', `That overlaps a visit they already have (${localDate(overlap.signInAt)} ${localTime(overlap.signInAt)} to ${until}): correct that visit instead.`, 'signIn');
		}
		const audit = await writeAdminAudit(actor, 'visit-added', userId, { date, signInAt: signInAt.toISOString(), signOutAt: signOutAt?.toISOString() ?? null, reason: input.reason }, t, now);
		const fact = (kind: NewFact['kind'], at: Date, target: Date | null): NewFact => ({ id: randomUUID(), kind, at, clientAt: now, deviceId: null, seq: null, source: 'admin', target, auditId: audit.id });
		const facts = [fact('correction-sign-in', signInAt, null), ...(signOutAt ? [fact('correction-sign-out', signOutAt, signInAt)] : [])];
		const folded = await recordFacts(userId, facts, { ...actor.request, source: 'admin' }, rules, t, now);
		if (facts.some((f) => folded.effects.get(f.id)?.kind !== 'corrected')) {
			throw new DomainError('conflict', 'That visit would overlap another visit of the same person. Correct that visit first.', 'signIn');
		}
		const record = await SignInRecord.findOne({ where: { userId, signInAt }, transaction: t });
		return { person, date, recordId: record!.id };
	});
	// The live view hears of someone added as still in now; nobody is paged about it.
	if (!signOutAt && inUntil({ date: result.date, signInAt, signOutAt }, rules.maxShiftMs, now).getTime() >= now.getTime()) {
		const { person } = result;
		void events.emit('signed-in', { userId, firstName: person.firstName, lastName: person.lastName, at: signInAt, date: result.date, source: 'admin', realtime: false });
	}
	return { userId, date: result.date, recordId: result.recordId, signInAt, signOutAt };
}
