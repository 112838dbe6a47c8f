import { describe, expect, it } from 'vitest';
import { instantOfLocal, localDateIn, localDateTimeIn } from '../../src/lib/contracts/building-time';

describe('building-local wall-clock times', () => {
	it('reads a London winter time as UTC and a summer time as an hour earlier', () => {
		expect(instantOfLocal('Europe/London', '2026-01-12T08:00').toISOString()).toBe('2026-01-12T08:00:00.000Z');
		expect(instantOfLocal('Europe/London', '2026-07-01T08:00').toISOString()).toBe('2026-07-01T07:00:00.000Z');
	});

	it('gives back the wall-clock time it was given, around a clock change', () => {
		for (const local of ['2026-03-29T00:30', '2026-03-29T03:00', '2026-10-25T00:59', '2026-10-25T02:00', '2026-12-31T23:59']) {
			expect(localDateTimeIn('Europe/London', instantOfLocal('Europe/London', local))).toBe(local);
		}
	});

	it('takes the first of the twice-shown hour when the clocks go back', () => {
		expect(instantOfLocal('Europe/London', '2026-10-25T01:30').toISOString()).toBe('2026-10-25T00:30:00.000Z');
	});

	it('answers an invalid date for text that is not a date and time', () => {
		expect(Number.isNaN(instantOfLocal('Europe/London', '2026-01-12 8am').getTime())).toBe(true);
	});

	it('names the date of each instant, across midnight and across zones asked in turn within one minute', () => {
		const asked: [string, string, string][] = [
			['Europe/London', '2026-07-01T22:59:59.999Z', '2026-07-01'],
			['Europe/London', '2026-07-01T23:00:00.000Z', '2026-07-02'],
			['America/New_York', '2026-07-01T23:00:30.000Z', '2026-07-01'],
			['Europe/London', '2026-07-01T23:00:30.000Z', '2026-07-02'],
			['Asia/Kolkata', '2026-07-01T18:29:59.000Z', '2026-07-01'],
			['Asia/Kolkata', '2026-07-01T18:30:00.000Z', '2026-07-02'],
			['Asia/Kolkata', '2026-07-01T18:29:00.000Z', '2026-07-01'],
		];
		for (const [zone, instant, date] of asked) expect(localDateIn(zone, new Date(instant)), `${zone} ${instant}`).toBe(date);
	});
});
