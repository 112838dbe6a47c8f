/**
 * Signing in and out. Rules of the original: a sign-in creates a record only
 * when the person has no open record today; a sign-out closes every open
 * record of today. An action carrying an id is recorded in the `actions`
 * ledger in the same transaction as its effect, so a repeat of that id is
 * answered with the first outcome and changes nothing.
 */
import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import { config } from '../../config';
import { transaction } from '../../db/database';
import { Action, SignInRecord } from '../../db/models/attendance.model';
import { User } from '../../db/models/people.model';
import { writeAudit, type AuditInput } from '../shared/audit';
import { decide, isRealtime, type AttendanceKind } from './attendance-rules';
import { localDate, localTime } from '../shared/clock';
import { DomainError } from '../shared/errors';
import { events, type AttendanceEvent } from '../shared/events';

export type { AttendanceKind };

export const attendanceMessages = {
	'sign-in': {
		applied: "You have successfully signed in. Don't forget to sign out when you leave.",
		'no-op': 'You were already signed in.',
		stale: 'Recorded: you had already signed in or out after that time.',
		'wrong-date': 'Sorry, you attempted to sign in for the wrong date.',
	},
	'sign-out': {
		applied: 'You have successfully signed out. See you again soon!',
		'no-op': 'You were already signed out.',
		stale: 'Recorded: you had already signed in or out after that time.',
		'wrong-date': 'Sorry, you attempted to sign out for the wrong date.',
	},
} as const;

export interface TodayStatus {
	date: string;
	signedIn: boolean;
	/** When the open record began, if signed in. */
	since: Date | null;
	/** `since` as building-local HH:MM. */
	sinceTime: string | null;
}

export interface AttendanceRequest {
	userId: number;
	kind: AttendanceKind;
	audit: AuditInput;
	/** Client-generated UUID: the idempotency key. */
	actionId?: string;
	/** The date the page was rendered for; refused if it is not today. */
	renderedDate?: string;
	/** When the action happened (already clamped for synced actions); default now. */
	at?: Date;
	/** The device's own time for the ledger, when it differs from `at`. */
	clientAt?: Date;
}

/** What an action did: `stale` is a no-op because a newer fact of that day already stood. */
export type AppliedOutcome = 'applied' | 'no-op' | 'stale';

export interface AttendanceResult {
	outcome: AppliedOutcome | 'duplicate';
	/** For a duplicate, what the first delivery of this action did. */
	firstOutcome: AppliedOutcome;
	message: string;
	status: TodayStatus;
}

export async function todayStatus(userId: number, at = new Date(), t?: Transaction): Promise<TodayStatus> {
	const date = localDate(at);
	const open = await SignInRecord.findOne({
		where: { userId, date, signOutAt: null },
		order: [['signInAt', 'ASC']],
		transaction: t,
	});
	return {
		date,
		signedIn: open !== null,
		since: open?.signInAt ?? null,
		sinceTime: open ? localTime(open.signInAt) : null,
	};
}

function assertRenderedToday(request: AttendanceRequest, today: string): void {
	if (request.renderedDate !== undefined && request.renderedDate !== today) {
		throw new DomainError('wrong-date', attendanceMessages[request.kind]['wrong-date']);
	}
}

async function knownAction(request: AttendanceRequest, t?: Transaction): Promise<AppliedOutcome | undefined> {
	if (!request.actionId) return undefined;
	const known = await Action.findByPk(request.actionId, { transaction: t });
	if (!known) return undefined;
	if (known.userId !== request.userId || known.kind !== request.kind) {
		throw new DomainError('conflict', 'That action id was already used for a different action.');
	}
	if (known.outcome === 'rejected') throw new DomainError('invalid-input', `This action was rejected: ${known.reason}.`);
	return known.outcome === 'applied' ? 'applied' : known.reason === 'stale' ? 'stale' : 'no-op';
}

/** The facts of a person's day that decide what a new action does. */
async function dayFacts(userId: number, date: string, t: Transaction) {
	const records = await SignInRecord.findAll({ where: { userId, date }, transaction: t });
	const times = records.flatMap((r) => (r.signOutAt ? [r.signInAt, r.signOutAt] : [r.signInAt]));
	return {
		open: records.filter((r) => r.signOutAt === null),
		latest: times.length ? new Date(Math.max(...times.map((d) => d.getTime()))) : null,
	};
}

/** The state change itself, inside the caller's transaction. */
async function applyAttendance(
	request: AttendanceRequest,
	at: Date,
	t: Transaction,
): Promise<{ outcome: AppliedOutcome; event: AttendanceEvent | null }> {
	// Locking the person's row serialises their concurrent actions (MySQL; SQLite writers are serial anyway).
	const user = await User.findByPk(request.userId, { transaction: t, lock: t.LOCK.UPDATE });
	if (!user) throw new DomainError('not-found', 'No such user.');
	const date = localDate(at);
	const day = await dayFacts(user.id, date, t);
	const decision = decide(request.kind, at, { open: day.open.length > 0, latest: day.latest });
	if (decision !== 'apply') return { outcome: decision, event: null };

	const audit = await writeAudit(request.audit, at, t);
	if (request.kind === 'sign-in') {
		await SignInRecord.create({ userId: user.id, date, signInAt: at, signInAuditId: audit.id }, { transaction: t });
	} else {
		await SignInRecord.update(
			{ signOutAt: at, signOutAuditId: audit.id },
			{ where: { id: { [Op.in]: day.open.map((r) => r.id) } }, transaction: t },
		);
	}
	const realtime = isRealtime(at, new Date(), config().sync.realtimeMaxAgeMs);
	return {
		outcome: 'applied',
		event: { userId: user.id, firstName: user.firstName, lastName: user.lastName, at, date, source: request.audit.source, realtime },
	};
}

export interface AppliedAction {
	outcome: AppliedOutcome | 'duplicate';
	/** For a duplicate, what the first delivery of this action did. */
	firstOutcome: AppliedOutcome;
}

/**
 * Applies one action with its ledger row in one transaction and announces it
 * after the commit. `ledgerChecked` says the caller has just looked the id up
 * and found nothing (sync does, to answer rejections), saving a query.
 */
export async function applyAction(request: AttendanceRequest, ledgerChecked = false): Promise<AppliedAction> {
	const at = request.at ?? new Date();
	assertRenderedToday(request, localDate(at));

	const earlier = ledgerChecked ? undefined : await knownAction(request);
	if (earlier) return { outcome: 'duplicate', firstOutcome: earlier };

	let applied: { outcome: AppliedOutcome; event: AttendanceEvent | null };
	try {
		applied = await transaction(async (t) => {
			const result = await applyAttendance(request, at, t);
			if (request.actionId) {
				await Action.create(
					{
						id: request.actionId,
						userId: request.userId,
						deviceId: request.audit.deviceId ?? null,
						kind: request.kind,
						clientAt: request.clientAt ?? at,
						receivedAt: new Date(),
						outcome: result.outcome === 'applied' ? 'applied' : 'no-op',
						reason: result.outcome === 'stale' ? 'stale' : null,
					},
					{ transaction: t },
				);
			}
			return result;
		});
	} catch (error) {
		// The same id arrived twice at once: the other delivery won and this one changed nothing.
		if (error instanceof UniqueConstraintError && request.actionId) {
			const winner = await knownAction(request);
			if (winner) return { outcome: 'duplicate', firstOutcome: winner };
		}
		throw error;
	}

	const { event } = applied;
	if (event) void events.emit(request.kind === 'sign-in' ? 'signed-in' : 'signed-out', event);
	return { outcome: applied.outcome, firstOutcome: applied.outcome };
}

/** Applies one action and answers with the message and the person's status today, for pages and APIs. */
export async function recordAttendance(request: AttendanceRequest): Promise<AttendanceResult> {
	const result = await applyAction(request);
	return {
		...result,
		message: attendanceMessages[request.kind][result.firstOutcome],
		status: await todayStatus(request.userId, request.at ?? new Date()),
	};
}
