/** What marshals' phones keep (the evacuation snapshot) and a roll call's printable report. */
import { config } from '../../config';
import { RollCallEntry, RollCallMark } from '../../db/models/operations.model';
import { ContactDetail, User } from '../../db/models/people.model';
import type { EvacuationSnapshot, RollCallMark as MarkView, RollCallReport, RollCallStatus } from '../../../src/lib/contracts/rollcall-protocol';
import { evacuationList } from './evacuation-list';
import { currentRollCall, peopleNamed, rollCallOrThrow, rollCallState } from './roll-calls';

export async function evacuationSnapshot(now = new Date()): Promise<EvacuationSnapshot> {
	const [people, call] = await Promise.all([evacuationList(now), currentRollCall(now)]);
	return { takenAt: now.toISOString(), timeZone: config().buildingTz, people, rollCall: call ? await rollCallState(call) : null };
}

const accounts = (status: RollCallStatus) => status === 'safe' || status === 'absent';

/** Everyone on the roll call's list with their final status, every mark, and how long accounting for all took. */
export async function rollCallReport(name: string): Promise<RollCallReport> {
	const call = await rollCallOrThrow(name);
	const [rollCall, entries, marks] = await Promise.all([
		rollCallState(call),
		RollCallEntry.findAll({ where: { rollCallId: call.id }, raw: true }),
		RollCallMark.findAll({ where: { rollCallId: call.id }, order: [['at', 'ASC'], ['id', 'ASC']], raw: true }),
	]);
	const userIds = entries.map((e) => e.userId);
	const [users, phones, markers] = await Promise.all([
		userIds.length ? User.findAll({ where: { id: userIds }, attributes: ['id', 'firstName', 'lastName'], raw: true }) : [],
		userIds.length ? ContactDetail.findAll({ where: { userId: userIds, method: 'sms' }, attributes: ['userId', 'value'], order: [['id', 'ASC']], raw: true }) : [],
		peopleNamed(marks.map((m) => m.markedBy)),
	]);
	const userOf = new Map(users.map((u) => [u.id, u]));
	const phoneOf = new Map<number, string>();
	for (const p of phones) if (!phoneOf.has(p.userId!)) phoneOf.set(p.userId!, p.value);
	const byOf = (markedBy: number | null) => (markedBy === null ? 'self-report' : (markers.get(markedBy)?.firstName ?? 'a marshal'));
	const collator = new Intl.Collator();
	const people = entries
		.map((e) => {
			const user = userOf.get(e.userId);
			const marked = e.markedAt !== null;
			return {
				userId: e.userId,
				firstName: user?.firstName ?? '',
				lastName: user?.lastName ?? '',
				phone: phoneOf.get(e.userId) ?? null,
				location: e.location,
				since: e.since ? new Date(e.since).toISOString() : rollCall.startedAt,
				leftAt: e.leftAt ? new Date(e.leftAt).toISOString() : null,
				group: e.listGroup,
				status: marked ? e.status : ('unaccounted' as const),
				markedAt: marked ? new Date(e.markedAt!).toISOString() : null,
				markedBy: marked ? byOf(e.markedBy) : null,
			};
		})
		.sort((a, b) => collator.compare(a.firstName, b.firstName) || collator.compare(a.lastName, b.lastName));
	const history: MarkView[] = marks.map((m) => ({ id: m.id, userId: m.userId, status: m.status, at: new Date(m.at).toISOString(), by: byOf(m.markedBy), byUserId: m.markedBy }));
	const allAccounted = people.length > 0 && people.every((p) => p.status !== 'unaccounted' && accounts(p.status));
	const lastAccounted = Math.max(...people.map((p) => (p.markedAt ? Date.parse(p.markedAt) : 0)));
	return { rollCall, people, history, accountedForInMs: allAccounted ? lastAccounted - Date.parse(rollCall.startedAt) : null };
}
