import { beforeEach, describe, expect, it } from 'vitest';
import { resetConfig } from '../../server/config';
import { dateInWordsFrom, isCalendarDate, localDate, localTime, momentInWords } from '../../server/domain/shared/clock';
import { countOf, dateInWords } from '../../src/lib/contracts/building-time';

describe('localDate and localTime', () => {
	beforeEach(() => {
		resetConfig({ buildingTz: 'Europe/London' });
	});

	it('uses the building zone by default, moving to the next day in British Summer Time', () => {
		const at = new Date('2026-06-30T23:30:00Z');
		expect(localDate(at)).toBe('2026-07-01');
		expect(localTime(at)).toBe('00:30');
	});

	it('equals UTC in London during GMT', () => {
		const at = new Date('2026-01-10T23:30:00Z');
		expect(localDate(at)).toBe('2026-01-10');
		expect(localTime(at)).toBe('23:30');
	});

	it('uses an explicitly given zone instead of the building zone', () => {
		const at = new Date('2026-01-10T23:30:00Z');
		expect(localDate(at, 'Asia/Tokyo')).toBe('2026-01-11');
		expect(localTime(at, 'Asia/Tokyo')).toBe('08:30');
		expect(localDate(at, 'America/New_York')).toBe('2026-01-10');
		expect(localTime(at, 'America/New_York')).toBe('18:30');
	});

	it('follows the configured building zone', () => {
		resetConfig({ buildingTz: 'Asia/Tokyo' });
		const at = new Date('2026-01-10T23:30:00Z');
		expect(localDate(at)).toBe('2026-01-11');
		expect(localTime(at)).toBe('08:30');
	});

	it('writes midnight as 00:00, never 24:00', () => {
		expect(localTime(new Date('2026-01-10T00:00:00Z'), 'Europe/London')).toBe('00:00');
	});
});

describe('isCalendarDate', () => {
	it('accepts a real date written YYYY-MM-DD', () => {
		expect(isCalendarDate('2026-02-28')).toBe(true);
		expect(isCalendarDate('2028-02-29')).toBe(true);
	});

	it('rejects dates that do not exist', () => {
		expect(isCalendarDate('2026-02-30')).toBe(false);
		expect(isCalendarDate('2026-02-29')).toBe(false);
		expect(isCalendarDate('2026-13-01')).toBe(false);
		expect(isCalendarDate('2026-00-10')).toBe(false);
	});

	it('rejects anything not written YYYY-MM-DD', () => {
		expect(isCalendarDate('26-1-1')).toBe(false);
		expect(isCalendarDate('')).toBe(false);
		expect(isCalendarDate('2026-1-01')).toBe(false);
		expect(isCalendarDate('2026-01-01T00:00')).toBe(false);
	});
});

describe('dateInWords and countOf', () => {
	it('writes a date as weekday, day and month, adding the year only for another year', () => {
		expect(dateInWords('2026-11-24', '2026')).toBe('Tuesday 24 November');
		expect(dateInWords('2025-12-31', '2026')).toBe('Wednesday 31 December 2025');
	});

	it('says 1 person but 2 people', () => {
		expect(countOf(1, 'person', 'people')).toBe('1 person');
		expect(countOf(2, 'person', 'people')).toBe('2 people');
		expect(countOf(0, 'action')).toBe('0 actions');
	});
});

describe('dateInWordsFrom and momentInWords', () => {
	beforeEach(() => {
		resetConfig({ buildingTz: 'Europe/London' });
	});
	const now = new Date('2026-11-24T10:00:00Z');

	it('leaves out the year of a date in this building year and names the year of an older one', () => {
		expect(dateInWordsFrom('2026-11-24', now)).toBe('Tuesday 24 November');
		expect(dateInWordsFrom('2025-11-24', now)).toBe('Monday 24 November 2025');
	});

	it('writes an instant as the building-local day in words and the time', () => {
		expect(momentInWords(new Date('2026-06-30T23:30:00Z'), now)).toBe('Wednesday 1 July at 00:30');
	});

	it('decides this year in the building zone, not in UTC', () => {
		const newYearInTokyo = new Date('2026-12-31T16:00:00Z');
		// Still 2026 in UTC, already 2027 in Tokyo: the year is not repeated.
		expect(momentInWords(new Date('2026-12-31T15:00:00Z'), newYearInTokyo, 'Asia/Tokyo')).toBe('Friday 1 January at 00:00');
	});
});
