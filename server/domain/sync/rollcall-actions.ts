/**
 * `sync.push`'s handler for roll-call actions (issue 12): a marshal's or
 * admin's phone starts, marks and ends roll calls, online or queued offline.
 * Each action is applied on its own, in the batch's order (a start comes
 * before the marks that name it). Repeats are answered `duplicate` by the
 * roll call's own keys: a start by its roll call's UUID, a mark by its id.
 * A start that creates a roll call asks everyone on it if they are safe,
 * after it has committed.
 */
import { config } from '../../config';
import { User } from '../../db/models/people.model';
import type { RollCall } from '../../db/models/operations.model';
import { rollCallAction, type RollCallAction } from '../../../src/lib/contracts/rollcall';
import type { SyncResult } from '../../../src/lib/contracts/sync-protocol';
import { eventTime } from '../attendance/attendance-rules';
import { endRollCall, markPerson, rollCallNamed, startRollCall } from '../rollcall/roll-calls';
import { askEveryoneIfSafe } from '../rollcall/self-report';
import { logger } from '../../logger';
import { idOf } from './sync';
import { rejected } from './apply-facts';

export const isRollCallAction = (raw: unknown) => {
	const kind = (raw as { kind?: unknown } | null)?.kind;
	return kind === 'rollcall-start' || kind === 'rollcall-mark' || kind === 'rollcall-end';
};

/** Who sends: a marshal's or admin's phone (any action), or a paired kiosk (a start, and people marking themselves safe). */
export type RollCallCaller = { kind: 'person'; userId: number | null } | { kind: 'kiosk' };

/** The roll calls and people a batch names, each looked up once however many marks name it. */
class BatchLookups {
	private readonly calls = new Map<string, Promise<RollCall | null>>();
	private readonly people = new Map<number, Promise<boolean>>();
	rollCall(name: string): Promise<RollCall | null> {
		let found = this.calls.get(name);
		if (!found) this.calls.set(name, (found = rollCallNamed(name)));
		return found;
	}
	/** A start changes what a name means: look it up again next time. */
	forget(name: string): void {
		this.calls.delete(name);
	}
	personExists(userId: number): Promise<boolean> {
		let found = this.people.get(userId);
		if (!found) this.people.set(userId, (found = User.findByPk(userId, { attributes: ['id'] }).then((u) => u !== null)));
		return found;
	}
}

async function apply(action: RollCallAction, at: Date, userId: number | null, now: Date, lookups: BatchLookups): Promise<SyncResult> {
	if (action.kind === 'rollcall-start') {
		lookups.forget(action.rollCallId);
		const started = await startRollCall({ rollCallId: action.rollCallId, drill: action.drill, at, byUserId: userId }, now);
		if (started.outcome === 'started') {
			void askEveryoneIfSafe(started.rollCallId).catch((error: unknown) => logger().error({ err: error }, 'roll call: could not ask people if they are safe'));
		}
		return { id: action.id, outcome: started.outcome === 'duplicate' ? 'duplicate' : 'applied' };
	}
	const call = await lookups.rollCall(action.rollCallId);
	if (!call) return rejected(action.id, 'rollcall-unknown');
	if (action.kind === 'rollcall-end') return { id: action.id, outcome: await endRollCall(call.id, at, userId) };
	if (!(await lookups.personExists(action.subjectId))) return rejected(action.id, 'person-unknown');
	return { id: action.id, outcome: await markPerson({ id: action.id, rollCallId: call.id, userId: action.subjectId, status: action.status, at, byUserId: userId }, now) };
}

/** Why `caller` may not send `action`, or null when it may. */
async function refusal(caller: RollCallCaller, role: string | null, raw: unknown): Promise<string | null> {
	if (caller.kind === 'kiosk') {
		const kind = (raw as { kind?: unknown; status?: unknown } | null)?.kind;
		const status = (raw as { status?: unknown } | null)?.status;
		return kind === 'rollcall-start' || (kind === 'rollcall-mark' && status === 'safe') ? null : 'kiosk-not-allowed';
	}
	if (caller.userId === null || role === null) return 'unauthenticated';
	return role === 'marshal' || role === 'admin' ? null : 'not-a-marshal';
}

/**
 * Applies roll-call actions from a marshal's or admin's phone, or from a
 * kiosk: there anyone may start a roll call (the alarm is ringing) and a
 * person may mark themselves safe as they leave, by name or badge; a kiosk's
 * mark counts as a self-report.
 */
export async function pushRollCallActions(caller: RollCallCaller, raws: unknown[], now = new Date()): Promise<SyncResult[]> {
	const person = caller.kind === 'person' && caller.userId !== null ? await User.findByPk(caller.userId, { attributes: ['id', 'role'] }) : null;
	const results: SyncResult[] = [];
	const lookups = new BatchLookups();
	for (const raw of raws) {
		const refused = await refusal(caller, person?.role ?? null, raw);
		if (refused) {
			results.push(rejected(idOf(raw), refused));
			continue;
		}
		const parsed = rollCallAction.safeParse(raw);
		if (!parsed.success) {
			results.push(rejected(idOf(raw), `malformed: ${parsed.error.issues[0]?.message ?? 'invalid action'}`));
			continue;
		}
		const time = eventTime(new Date(parsed.data.clientAt), now, config().sync);
		results.push(time.ok ? await apply(parsed.data, time.at, person?.id ?? null, now, lookups) : rejected(parsed.data.id, time.reason));
	}
	return results;
}
