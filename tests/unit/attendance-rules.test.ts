import { describe, expect, it } from 'vitest';
import { decide, eventTime, isRealtime } from '../../server/domain/attendance/attendance-rules';

const t = (hhmm: string) => new Date(`2026-03-10T${hhmm}:00Z`);

describe('decide', () => {
	it('opens a record for a sign-in on an empty day', () => {
		expect(decide('sign-in', t('09:00'), { open: false, latest: null })).toBe('apply');
	});

	it('treats a sign-in while in and a sign-out while out as no-ops', () => {
		expect(decide('sign-in', t('10:00'), { open: true, latest: t('09:00') })).toBe('no-op');
		expect(decide('sign-out', t('18:00'), { open: false, latest: t('17:00') })).toBe('no-op');
		expect(decide('sign-out', t('18:00'), { open: false, latest: null })).toBe('no-op');
	});

	it('closes an open record with a newer sign-out, and reopens the day with a newer sign-in', () => {
		expect(decide('sign-out', t('17:00'), { open: true, latest: t('09:00') })).toBe('apply');
		expect(decide('sign-in', t('13:00'), { open: false, latest: t('12:00') })).toBe('apply');
	});

	it('never lets an action older than the newest fact override the state', () => {
		// A phone's 08:55 sign-in arriving after the kiosk closed the day at 17:00.
		expect(decide('sign-in', t('08:55'), { open: false, latest: t('17:00') })).toBe('stale');
		expect(decide('sign-out', t('08:55'), { open: true, latest: t('09:00') })).toBe('stale');
	});

	it('applies an action at exactly the newest fact time like any other', () => {
		expect(decide('sign-out', t('09:00'), { open: true, latest: t('09:00') })).toBe('apply');
	});
});

describe('eventTime', () => {
	const now = new Date('2026-03-10T12:00:00Z');
	const window = { maxSkewMs: 120_000, offlineWindowMs: 7 * 86_400_000 };

	it('keeps a past client time inside the offline window', () => {
		const at = new Date('2026-03-05T08:00:00Z');
		expect(eventTime(at, now, window)).toEqual({ ok: true, at });
	});

	it('clamps a client time slightly ahead of the server to now', () => {
		expect(eventTime(new Date(now.getTime() + 90_000), now, window)).toEqual({ ok: true, at: now });
	});

	it('rejects a client clock further ahead than the skew', () => {
		expect(eventTime(new Date(now.getTime() + 120_001), now, window)).toEqual({ ok: false, reason: 'clock-ahead' });
	});

	it('rejects an action older than the offline window', () => {
		expect(eventTime(new Date(now.getTime() - 7 * 86_400_000 - 1), now, window)).toEqual({ ok: false, reason: 'too-old' });
	});
});

describe('isRealtime', () => {
	it('pages people only about actions that arrive within the age limit', () => {
		const at = new Date('2026-03-10T09:00:00Z');
		expect(isRealtime(at, new Date('2026-03-10T09:04:59Z'), 300_000)).toBe(true);
		expect(isRealtime(at, new Date('2026-03-10T12:00:00Z'), 300_000)).toBe(false);
	});
});
