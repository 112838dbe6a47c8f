import { describe, expect, it } from 'vitest';
import { applyChange, countSentence, matchingName, splitByDay } from '../../src/lib/client/admin/now-rules';
import type { PresenceRow } from '../../src/lib/contracts/live';

const row = (userId: number, firstName: string, lastName: string, date = '2026-11-24', extra: Partial<PresenceRow> = {}): PresenceRow => ({
	userId,
	firstName,
	lastName,
	since: `${date}T09:00:00.000Z`,
	sinceTime: '09:00',
	date,
	location: null,
	stale: date < '2026-11-24',
	...extra,
});

describe('live view rules', () => {
	it('adds a person who came in, and replacing their row twice leaves one row', () => {
		const ada = row(1, 'Ada', 'Lovelace');
		const once = applyChange([], { userId: 1, row: ada, today: '2026-11-24' });
		expect(applyChange(once, { userId: 1, row: ada, today: '2026-11-24' })).toEqual([ada]);
	});

	it('removes a person who left, leaving the others', () => {
		const people = [row(1, 'Ada', 'Lovelace'), row(2, 'Alan', 'Turing')];
		expect(applyChange(people, { userId: 1, row: null, today: '2026-11-24' }).map((p) => p.userId)).toEqual([2]);
	});

	it('flags yesterday\'s open records "did not sign out" once a change comes from a new day', () => {
		const people = [row(1, 'Ada', 'Lovelace', '2026-11-24')];
		const next = applyChange(people, { userId: 2, row: row(2, 'Alan', 'Turing', '2026-11-25', { stale: false }), today: '2026-11-25' });
		expect(next.find((p) => p.userId === 1)?.stale).toBe(true);
	});

	it('filters by every word typed, in any order, ignoring case and accents', () => {
		const people = [row(1, 'Zoë', 'Adams'), row(2, 'Amy', 'Brown'), row(3, 'Zoe', 'Brown')];
		expect(matchingName(people, 'brown ZOE').map((p) => p.userId)).toEqual([3]);
		expect(matchingName(people, 'zoe').map((p) => p.userId)).toEqual([1, 3]);
		expect(matchingName(people, '  ').length).toBe(3);
	});

	it('separates people in today from those who did not sign out, each ordered by name', () => {
		const { inNow, notSignedOut } = splitByDay([row(1, 'Zed', 'A'), row(2, 'Amy', 'B'), row(3, 'Old', 'C', '2026-11-22')]);
		expect(inNow.map((p) => p.firstName)).toEqual(['Amy', 'Zed']);
		expect(notSignedOut.map((p) => p.firstName)).toEqual(['Old']);
	});

	it('keeps the original report\'s sentence, singular for one person', () => {
		expect(countSentence(1)).toBe('There is currently 1 person signed-in');
		expect(countSentence(3)).toBe('There are currently 3 people signed-in');
	});
});
