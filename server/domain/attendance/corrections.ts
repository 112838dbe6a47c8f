/**
 * Admin corrections of sign-in records (issue 10). A correction is a fact in
 * the person's fold (see src/lib/contracts/attendance-fold.ts), so it
 * outranks the device facts that made the record, before and after it
 * arrives, and the record is rebuilt from facts like any other. Its audit row
 * (who, when, the record before and after, the reason) is written in the
 * same transaction, and the record points at it to say "corrected by Ada".
 */
import { randomUUID } from 'node:crypto';
import { config } from '../../config';
import { transaction } from '../../db/database';
import { SignInRecord } from '../../db/models/attendance.model';
import { User } from '../../db/models/people.model';
import { instantOfLocal } from '../../../src/lib/contracts/building-time';
import type { CorrectionInput } from '../../../src/lib/contracts/reports';
import { writeAdminAudit, type AdminActor } from '../shared/admin-audit';
import { DomainError } from '../shared/errors';
import { events } from '../shared/events';
import { localDate } from '../shared/clock';
import { foldRules } from './attendance';
import { recordFacts, type NewFact } from './fact-store';

const DAY_MS = 86_400_000;

export interface CorrectionResult {
	userId: number;
	date: string;
	before: { signInAt: string; signOutAt: string | null };
	after: { signInAt: string; signOutAt: string | null };
}

function instant(local: string, label: string): Date {
	const at = instantOfLocal(config().buildingTz, local);
	if (Number.isNaN(at.getTime())) throw new DomainError('invalid-input', `${label} is not a real date and time.`, label === 'The sign-in time' ? 'signIn' : 'signOut');
	return at;
}

/** Checks the corrected times make a visit: in the past, sign-out after sign-in, within a day of the original. */
function checked(input: CorrectionInput, record: SignInRecord, now: Date) {
	const given = instant(input.signIn, 'The sign-in time');
	// The form shows minutes: the record's own minute means "unchanged", not "move it to the whole minute".
	const signInAt = Math.floor(record.signInAt.getTime() / 60_000) * 60_000 === given.getTime() ? record.signInAt : given;
	// An empty sign-out leaves it as it is: open, or closed at its time.
	const signOutAt = input.signOut ? instant(input.signOut, 'The sign-out time') : record.signOutAt;
	if (signInAt > now || (signOutAt && signOutAt > now)) throw new DomainError('invalid-input', 'A correction cannot be in the future.', signOutAt && signOutAt > now ? 'signOut' : 'signIn');
	if (signOutAt && signOutAt <= signInAt) throw new DomainError('invalid-input', 'The sign-out must be after the sign-in.', 'signOut');
	if (signOutAt && signOutAt.getTime() - signInAt.getTime() > DAY_MS) throw new DomainError('invalid-input', 'A visit cannot last more than 24 hours.', 'signOut');
	if (Math.abs(signInAt.getTime() - record.signInAt.getTime()) > DAY_MS) throw new DomainError('invalid-input', 'Move a sign-in by at most a day; for another day, correct that day’s record.', 'signIn');
	const movesIn = signInAt.getTime() !== record.signInAt.getTime();
	const movesOut = signOutAt !== null && signOutAt.getTime() !== record.signOutAt?.getTime();
	if (!movesIn && !movesOut) throw new DomainError('invalid-input', 'Nothing to correct: the times are the same as the record’s.');
	return { signInAt, signOutAt, movesIn, movesOut };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Corrects one record's sign-in and/or sign-out, with a reason, as `actor`. */
export async function correctRecord(actor: AdminActor, input: CorrectionInput, now = new Date()): Promise<CorrectionResult> {
	const rules = await foldRules();
	const result = await transaction(async (t) => {
		const record = await SignInRecord.findByPk(input.recordId, { transaction: t });
		if (!record) throw new DomainError('not-found', 'No such record: it may have been changed since the page was shown. Reload and try again.');
		const { signInAt, signOutAt, movesIn, movesOut } = checked(input, record, now);
		const before = { signInAt: record.signInAt.toISOString(), signOutAt: iso(record.signOutAt) };
		const after = { signInAt: signInAt.toISOString(), signOutAt: iso(signOutAt) };
		const audit = await writeAdminAudit(actor, 'record-corrected', record.userId, { recordId: record.id, date: record.date, before, after, reason: input.reason }, t, now);
		const fact = (kind: NewFact['kind'], at: Date): NewFact => ({ id: randomUUID(), kind, at, clientAt: now, deviceId: null, seq: null, source: 'admin', target: record.signInAt, auditId: audit.id });
		const facts = [...(movesIn ? [fact('correction-sign-in', signInAt)] : []), ...(movesOut ? [fact('correction-sign-out', signOutAt!)] : [])];
		const folded = await recordFacts(record.userId, facts, { ...actor.request, source: 'admin' }, rules, t, now);
		if (facts.some((f) => folded.effects.get(f.id)?.kind !== 'corrected')) {
			throw new DomainError('conflict', 'That correction would overlap another visit of the same person. Correct that visit first.');
		}
		return { user: folded.user, wasOpen: record.signOutAt === null, closedAt: signOutAt, date: record.date, userId: record.userId, before, after };
	});
	// The live view hears of a person a correction signed out; nobody is paged about it.
	if (result.wasOpen && result.closedAt) {
		const { user, closedAt } = result;
		void events.emit('signed-out', { userId: user.id, firstName: user.firstName, lastName: user.lastName, at: closedAt, date: localDate(closedAt), source: 'admin', realtime: false });
	}
	void events.emit('record-corrected', { recordId: input.recordId, userId: result.userId, date: result.date, before: result.before, after: result.after, reason: input.reason, correctedBy: actor.id, at: now });
	return { userId: result.userId, date: result.date, before: result.before, after: result.after };
}

export interface RecordToCorrect {
	id: number;
	userId: number;
	name: string;
	date: string;
	signInAt: Date;
	signOutAt: Date | null;
}

/** The record an admin is about to correct, with whose it is. */
export async function recordToCorrect(id: number): Promise<RecordToCorrect> {
	const record = await SignInRecord.findByPk(id, { include: [{ model: User, as: 'user', attributes: ['firstName', 'lastName'] }] });
	if (!record) throw new DomainError('not-found', 'No such record: it may have been changed since the page was shown.');
	return { id: record.id, userId: record.userId, name: `${record.user?.firstName ?? ''} ${record.user?.lastName ?? ''}`.trim(), date: record.date, signInAt: record.signInAt, signOutAt: record.signOutAt };
}
