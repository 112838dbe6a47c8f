import { describe, expect, it } from 'vitest';
import type { EvacuationSnapshot, Evacuee, RollCallMark, RollCallState } from '../../src/lib/contracts/rollcall-protocol';
import {
	answered,
	canForget,
	currentRollCall,
	elapsedText,
	lastEnded,
	IDLE_REFRESH_MS,
	listAge,
	matchesSearch,
	newAction,
	OPEN_REFRESH_MS,
	progressOf,
	refreshDelay,
	shownList,
	shownMarks,
	telLink,
	toPushAction,
	type OpenRollCall,
} from '../../src/lib/client/rollcall/rollcall-rules';
import type { RollCallOutboxEntry } from '../../src/lib/client/rollcall/rollcall-types';

const zone = 'Europe/London';
const now = new Date('2026-11-24T09:50:00Z');

function person(userId: number, firstName: string, lastName: string, group: Evacuee['group'] = 'in', extra: Partial<Evacuee> = {}): Evacuee {
	return { userId, firstName, lastName, phone: null, location: 'Main door', since: '2026-11-24T08:30:00Z', leftAt: null, group, ...extra };
}

const people = [
	person(1, 'Ana', 'Smith', 'in', { phone: '+44 7700 900123' }),
	person(2, 'Ben', 'Jones'),
	person(3, 'Zoë', 'Brown', 'uncertain', { since: '2026-11-23T08:00:00Z' }),
	person(4, 'Carl', 'Adams', 'left-recently', { leftAt: '2026-11-24T09:40:00Z' }),
];

function serverRollCall(marks: RollCallMark[] = [], extra: Partial<RollCallState> = {}): RollCallState {
	return { id: 'rc-server', ids: ['rc-server'], drill: true, startedAt: '2026-11-24T09:45:00Z', startedBy: 'Mo', endedAt: null, marks, ...extra };
}

function snapshot(rollCall: RollCallState | null = null): EvacuationSnapshot {
	return { takenAt: '2026-11-24T09:42:00Z', timeZone: zone, people, rollCall };
}

let ids = 0;
const nextId = () => `id-${++ids}`;
const me = { deviceId: 'phone-a', firstName: 'Tess' };

function mark(rollCallId: string, subjectId: number, status: 'safe' | 'missing' | 'absent', at: string, extra: Partial<RollCallOutboxEntry> = {}): RollCallOutboxEntry {
	return { ...newAction({ kind: 'rollcall-mark', subjectId, status }, rollCallId, me, new Date(at), nextId), ...extra } as RollCallOutboxEntry;
}

function serverMark(userId: number, status: 'safe' | 'missing' | 'absent', at: string, by = 'Mo'): RollCallMark {
	return { id: nextId(), userId, status, at, by, byUserId: 9 };
}

describe('which roll call is open on this phone', () => {
	it("should be none before anyone starts one", () => {
		expect(currentRollCall(snapshot(), [])).toBeNull();
	});

	it('should be the one this phone started offline, waiting to be sent', () => {
		const start = newAction({ kind: 'rollcall-start', drill: false }, null, me, new Date('2026-11-24T09:46:00Z'), nextId);
		const open = currentRollCall(snapshot(), [start]);
		expect(open).toMatchObject({ id: start.rollCallId, drill: false, startedBy: 'Tess', startedAt: '2026-11-24T09:46:00.000Z', pending: true });
	});

	it("should be the server's open one, joined by a start this phone queued while offline", () => {
		const start = newAction({ kind: 'rollcall-start', drill: true }, null, me, new Date('2026-11-24T09:46:00Z'), nextId);
		const open = currentRollCall(snapshot(serverRollCall()), [start]);
		expect(open?.id).toBe('rc-server');
		expect(open?.ids).toEqual(['rc-server', start.rollCallId]);
		expect(open?.pending).toBe(false);
	});

	it('should merge two starts this phone queued into one roll call named by the first', () => {
		const first = newAction({ kind: 'rollcall-start', drill: true }, null, me, new Date('2026-11-24T09:46:00Z'), nextId);
		const second = newAction({ kind: 'rollcall-start', drill: false }, null, me, new Date('2026-11-24T09:47:00Z'), nextId);
		const open = currentRollCall(snapshot(), [second, first]);
		expect(open?.id).toBe(first.rollCallId);
		expect(open?.ids).toEqual([first.rollCallId, second.rollCallId]);
		expect(open?.drill).toBe(true);
	});

	it('should be closed once this phone queued its end, before the server knows', () => {
		const end = newAction({ kind: 'rollcall-end' }, 'rc-server', me, new Date('2026-11-24T09:49:00Z'), nextId);
		expect(currentRollCall(snapshot(serverRollCall()), [end])).toBeNull();
	});

	it('should ignore a start the server refused', () => {
		const start = { ...newAction({ kind: 'rollcall-start', drill: true }, null, me, new Date(), nextId), rejectedReason: 'forbidden' };
		expect(currentRollCall(snapshot(), [start])).toBeNull();
	});

	it('should not count an ended roll call in the snapshot as open, and offer its report', () => {
		const ended = snapshot(serverRollCall([], { endedAt: '2026-11-24T09:48:00Z' }));
		expect(currentRollCall(ended, [])).toBeNull();
		expect(lastEnded(ended, null, now)).toEqual({ id: 'rc-server', text: 'The last drill ended at 09:48.' });
		expect(lastEnded(snapshot(serverRollCall()), currentRollCall(snapshot(serverRollCall()), []), now)).toBeNull();
	});
});

describe("a person's shown status", () => {
	const open: OpenRollCall = { id: 'rc-server', ids: ['rc-server', 'rc-local'], drill: true, startedAt: '2026-11-24T09:45:00Z', startedBy: 'Mo', pending: false };

	it("should be this phone's queued mark when it is later than the server's", () => {
		const marks = shownMarks(open, [serverMark(1, 'missing', '2026-11-24T09:46:00Z')], [mark('rc-server', 1, 'safe', '2026-11-24T09:47:00Z')]);
		expect(marks.get(1)).toMatchObject({ status: 'safe', by: 'Tess', pending: true });
	});

	it("should be the server's mark when another marshal's mark was later than the one queued here", () => {
		const marks = shownMarks(open, [serverMark(1, 'missing', '2026-11-24T09:48:00Z')], [mark('rc-server', 1, 'safe', '2026-11-24T09:47:00Z')]);
		expect(marks.get(1)).toMatchObject({ status: 'missing', by: 'Mo', pending: false });
	});

	it('should take the latest of several queued marks by event time, whatever order they are stored in', () => {
		const later = mark('rc-local', 2, 'absent', '2026-11-24T09:49:00Z');
		const earlier = mark('rc-local', 2, 'missing', '2026-11-24T09:46:00Z');
		expect(shownMarks(open, [], [later, earlier]).get(2)?.status).toBe('absent');
	});

	it('should break a tie of event times by the larger mark id, as the server does, whatever the order they arrive in', () => {
		const server = { ...serverMark(1, 'missing', '2026-11-24T09:47:00Z'), id: 'b' };
		const queued = mark('rc-server', 1, 'safe', '2026-11-24T09:47:00Z', { id: 'a' });
		expect(shownMarks(open, [server], [queued]).get(1)?.status).toBe('missing');
		expect(shownMarks(open, [{ ...server, id: 'a' }], [{ ...queued, id: 'b' }]).get(1)?.status).toBe('safe');
	});

	it('should ignore marks of another roll call and refused marks', () => {
		const other = mark('rc-old', 1, 'safe', '2026-11-24T09:47:00Z');
		const refused = mark('rc-server', 2, 'safe', '2026-11-24T09:47:00Z', { rejectedReason: 'roll-call-ended' });
		expect(shownMarks(open, [], [other, refused]).size).toBe(0);
	});

	it('should no longer be waiting once the server confirmed it', () => {
		const confirmed = mark('rc-server', 1, 'safe', '2026-11-24T09:47:00Z', { confirmedAt: 1 });
		expect(shownMarks(open, [], [confirmed]).get(1)?.pending).toBe(false);
	});
});

describe('the list as shown', () => {
	it('should group people before a roll call by where the list put them', () => {
		const list = shownList(snapshot(), null, [], '', now);
		expect(list.groups.map((g) => [g.group, g.people.map((p) => p.name)])).toEqual([
			['unaccounted', ['Ben Jones', 'Ana Smith']],
			['uncertain', ['Zoë Brown']],
			['left-recently', ['Carl Adams']],
		]);
		expect(list.groups.map((g) => g.label)).toEqual(['In the building', 'Did not sign out', 'Signed out in the last 15 minutes']);
	});

	it('should move marked people into safe, missing and not in today, and count the accounted', () => {
		const rollCall = serverRollCall([serverMark(1, 'safe', '2026-11-24T09:46:00Z'), serverMark(3, 'absent', '2026-11-24T09:46:30Z')]);
		const open = currentRollCall(snapshot(rollCall), [])!;
		const list = shownList(snapshot(rollCall), open, [mark('rc-server', 2, 'missing', '2026-11-24T09:47:00Z')], '', now);
		expect(Object.fromEntries(list.groups.map((g) => [g.group, g.people.map((p) => p.userId)]))).toEqual({
			missing: [2],
			'left-recently': [4],
			safe: [1],
			absent: [3],
		});
		expect(list.progress.text).toBe('2 of 4 accounted for');
		expect(list.progress.done).toBe(false);
		const ben = list.groups.find((g) => g.group === 'missing')!.people[0]!;
		expect(ben.markText).toBe('Missing · Tess (waiting to send) 09:47');
	});

	it("should show times in the building's zone, with the day when it was not today", () => {
		const list = shownList(snapshot(), null, [], '', now);
		const all = list.groups.flatMap((g) => g.people);
		expect(all.find((p) => p.userId === 1)?.since).toBe('08:30');
		expect(all.find((p) => p.userId === 3)?.since).toBe('23 Nov 08:00');
		expect(all.find((p) => p.userId === 4)?.leftAt).toBe('09:40');
	});

	it('should give a tel: link only to people with a number', () => {
		const all = shownList(snapshot(), null, [], '', now).groups.flatMap((g) => g.people);
		expect(all.find((p) => p.userId === 1)?.tel).toBe('tel:+447700900123');
		expect(all.find((p) => p.userId === 2)?.tel).toBeNull();
		expect(telLink('(020) 7946-0000')).toBe('tel:02079460000');
	});

	it('should filter by the search, keeping the progress of everyone', () => {
		const list = shownList(snapshot(), null, [], 'zoe', now);
		expect(list.matched).toBe(1);
		expect(list.groups.flatMap((g) => g.people.map((p) => p.name))).toEqual(['Zoë Brown']);
		expect(list.progress.total).toBe(4);
	});
});

describe('search by name', () => {
	it('should match every word anywhere in the name, ignoring case and accents', () => {
		expect(matchesSearch({ firstName: 'Zoë', lastName: 'Brown' }, 'ZOE br')).toBe(true);
		expect(matchesSearch({ firstName: 'Zoë', lastName: 'Brown' }, 'own')).toBe(true);
		expect(matchesSearch({ firstName: 'Zoë', lastName: 'Brown' }, 'zoe smith')).toBe(false);
		expect(matchesSearch({ firstName: 'Zoë', lastName: 'Brown' }, '  ')).toBe(true);
	});
});

describe('progress', () => {
	it('should count safe and not-in-today as accounted for, missing and unmarked not', () => {
		const marks = new Map([
			[1, { id: 'm', status: 'safe' as const, at: '', by: '', pending: false }],
			[2, { id: 'm', status: 'missing' as const, at: '', by: '', pending: false }],
			[3, { id: 'm', status: 'absent' as const, at: '', by: '', pending: false }],
		]);
		expect(progressOf(people, marks)).toEqual({ accounted: 2, total: 4, text: '2 of 4 accounted for', done: false });
		marks.set(2, { id: 'm', status: 'safe', at: '', by: '', pending: false });
		marks.set(4, { id: 'm', status: 'safe', at: '', by: '', pending: false });
		expect(progressOf(people, marks).done).toBe(true);
	});

	it('should not call an empty list done', () => {
		expect(progressOf([], new Map()).done).toBe(false);
	});
});

describe('the age of the list and the time since the start', () => {
	it('should say when the list is from, and call it old after two minutes', () => {
		expect(listAge('2026-11-24T09:49:00Z', zone, now)).toEqual({ text: 'List from 09:49', stale: false });
		expect(listAge('2026-11-24T09:42:00Z', zone, now)).toEqual({ text: 'List from 09:42', stale: true });
		expect(listAge('2026-11-23T17:05:00Z', zone, now).text).toBe('List from 23 Nov 17:05');
	});

	it('should count minutes and seconds, and hours when it runs that long', () => {
		expect(elapsedText('2026-11-24T09:45:53Z', now)).toBe('4:07');
		expect(elapsedText('2026-11-24T08:47:53Z', now)).toBe('1:02:07');
		expect(elapsedText('2026-11-24T09:51:00Z', now)).toBe('0:00');
	});
});

describe('the outbox of roll call actions', () => {
	it('should name a new roll call by a fresh id, and send marks under the open one', () => {
		const start = newAction({ kind: 'rollcall-start', drill: true }, null, me, now, nextId);
		expect(start.rollCallId).not.toBe(start.id);
		const marked = newAction({ kind: 'rollcall-mark', subjectId: 7, status: 'safe' }, start.rollCallId, me, now, nextId);
		expect(marked).toMatchObject({ kind: 'rollcall-mark', rollCallId: start.rollCallId, subjectId: 7, status: 'safe', deviceId: 'phone-a', clientAt: now.toISOString() });
		expect(() => newAction({ kind: 'rollcall-end' }, null, me, now, nextId)).toThrow();
	});

	it("should send the contract's fields only", () => {
		const entry = mark('rc', 1, 'safe', '2026-11-24T09:47:00Z', { confirmedAt: 5 });
		expect(Object.keys(toPushAction(entry)).sort()).toEqual(['clientAt', 'deviceId', 'id', 'kind', 'rollCallId', 'status', 'subjectId']);
	});

	it('should keep a refused action with its reason, and a confirmed one until a later snapshot', () => {
		const entry = mark('rc', 1, 'safe', '2026-11-24T09:47:00Z');
		expect(answered(entry, { id: entry.id, outcome: 'rejected', reason: 'not-a-marshal' }, 10).rejectedReason).toBe('not-a-marshal');
		const confirmed = answered(entry, { id: entry.id, outcome: 'duplicate' }, 10);
		expect(confirmed.confirmedAt).toBe(10);
		expect(canForget(confirmed, 10)).toBe(false);
		expect(canForget(confirmed, 11)).toBe(true);
		expect(canForget(entry, 11)).toBe(false);
		expect(answered(entry, { id: 'other', outcome: 'applied' }, 10)).toBe(entry);
	});

	it('should refresh every 2 s only while a roll call is open and the phone online', () => {
		expect(refreshDelay(true, true)).toBe(OPEN_REFRESH_MS);
		expect(refreshDelay(true, false)).toBe(IDLE_REFRESH_MS);
		expect(refreshDelay(false, true)).toBe(IDLE_REFRESH_MS);
	});
});
