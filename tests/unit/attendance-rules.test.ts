import { describe, expect, it } from 'vitest';
import { eventTime, isRealtime } from '../../server/domain/attendance/attendance-rules';

const t = (hhmm: string) => new Date(`2026-03-10T${hhmm}:00Z`);

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
