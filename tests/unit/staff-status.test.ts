import { describe, expect, it } from 'vitest';
import { actionFor, othersWaitingNotices, shownStatus, tapNotice, waitingNotice } from '../../src/lib/client/attendance/staff-status';
import type { OutboxEntry } from '../../src/lib/client/offline/db';

const rules = { timeZone: 'Europe/London', maxShiftMs: 16 * 3_600_000 };
let n = 0;
const entry = (kind: OutboxEntry['kind'], clientAt: string, extra: Partial<OutboxEntry> = {}): OutboxEntry => ({
	id: `e${++n}`,
	kind,
	clientAt,
	deviceId: 'phone',
	seq: n,
	userId: 1,
	...extra,
});
const yesterdayIn = { date: '2026-11-23', signedIn: true, since: '2026-11-23T08:00:00.000Z', sinceTime: '08:00' };
const yesterdayOut = { date: '2026-11-23', signedIn: false, since: null, sinceTime: null };

describe('what the staff page shows and what a tap means', () => {
	it('opened the next morning, a page cached while signed in yesterday shows signed out and a tap signs in', () => {
		const now = new Date('2026-11-24T09:00:00Z');
		const shown = shownStatus(yesterdayIn, [], now, rules);
		expect(shown.signedIn).toBe(false);
		expect(actionFor(shown)).toBe('sign-in');
	});

	it('a sign-in tapped offline today shows as signed in since the tap', () => {
		const now = new Date('2026-11-24T09:05:00Z');
		const shown = shownStatus(yesterdayOut, [entry('sign-in', '2026-11-24T09:01:00.000Z')], now, rules);
		expect(shown).toEqual({ signedIn: true, since: '2026-11-24T09:01:00.000Z', sinceText: '09:01' });
		expect(actionFor(shown)).toBe('sign-out');
	});

	it('a night shift begun before midnight is still in after it, with the day said', () => {
		const since = { date: '2026-11-23', signedIn: true, since: '2026-11-23T22:10:00.000Z', sinceTime: '22:10' };
		const shown = shownStatus(since, [], new Date('2026-11-24T05:00:00Z'), rules);
		expect(shown).toMatchObject({ signedIn: true, sinceText: '22:10 on Monday 23 November' });
	});

	it('folds waiting taps in device order, whatever the clock said', () => {
		const now = new Date('2026-11-24T12:00:00Z');
		const waiting = [entry('sign-in', '2026-11-24T09:00:00.000Z', { seq: 1 }), entry('sign-out', '2026-11-24T08:30:00.000Z', { seq: 2 })];
		expect(shownStatus(yesterdayOut, waiting, now, rules).signedIn).toBe(false);
	});

	it('tells an offline tap that it is recorded on the phone, not that it succeeded', () => {
		expect(tapNotice('sign-in', undefined, 'Europe/London', new Date()).text).toBe(
			'Sign-in recorded on this phone. It will reach the register when you are back online.',
		);
	});

	it('puts a no-op from another device in words', () => {
		const answer = { id: 'x', outcome: 'no-op' as const, detail: { reason: 'already-signed-out' as const, at: '2026-11-24T17:00:00.000Z', elsewhere: true } };
		expect(tapNotice('sign-out', answer, 'Europe/London', new Date('2026-11-24T17:30:00Z')).text).toBe(
			'You had already signed out at 17:00 on another device.',
		);
	});

	it('shows the date of a waiting notice older than today', () => {
		expect(waitingNotice([entry('sign-in', '2026-11-23T17:02:00.000Z')], 'Europe/London', new Date('2026-11-24T08:00:00Z'))).toBe(
			'Waiting to sync (1) since 17:02 on Monday 23 November',
		);
		expect(waitingNotice([], 'Europe/London', new Date())).toBeNull();
	});

	it("says whose actions wait for another person's login, and how many", () => {
		const others = [entry('sign-in', '2026-11-24T08:00:00.000Z', { userId: 2, firstName: 'Bob' }), entry('sign-out', '2026-11-24T09:00:00.000Z', { userId: 2, firstName: 'Bob' })];
		expect(othersWaitingNotices(others)).toEqual(['2 actions of Bob wait on this phone until Bob logs in again.']);
	});
});
