/** Building-local dates and times. Instants are stored in UTC; "today" is the building's date. */
import { config } from '../../config';
import { dateInWords, localDateIn, localTimeIn } from '../../../src/lib/contracts/building-time';

let source: () => Date = () => new Date();

/** The current instant. Scheduled jobs read it here, so a test can run days of them in seconds. */
export function now(): Date {
	return source();
}

/** For tests: replace the clock (`undefined` puts the real one back). */
export function setClock(clock: (() => Date) | undefined): void {
	source = clock ?? (() => new Date());
}

/** The building-local date of an instant as YYYY-MM-DD. */
export function localDate(at: Date, zone = config().buildingTz): string {
	return localDateIn(zone, at);
}

/** The building-local wall-clock time of an instant as HH:MM (24 hours). */
export function localTime(at: Date, zone = config().buildingTz): string {
	return localTimeIn(zone, at);
}

/** A building-local YYYY-MM-DD date in words, with the year only when it is not this year: "Tuesday 24 November". */
export function dateInWordsFrom(date: string, now = new Date(), zone = config().buildingTz): string {
	return dateInWords(date, localDate(now, zone).slice(0, 4));
}

/** An instant as people read it on a page: "Tuesday 24 November at 09:15", building time. */
export function momentInWords(at: Date, now = new Date(), zone = config().buildingTz): string {
	return `${dateInWordsFrom(localDate(at, zone), now, zone)} at ${localTime(at, zone)}`;
}

export const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
	if (!isoDatePattern.test(value)) return false;
	const parsed = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** The instant a building-local date begins (its local midnight), DST included. */
export function startOfLocalDay(date: string, zone = config().buildingTz): Date {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	const wanted = Date.UTC(y, m - 1, d);
	let guess = wanted;
	// Two corrections settle it: the zone's offset at the guess, then at the corrected guess.
	for (let i = 0; i < 2; i++) {
		const local = new Date(guess).toLocaleString('sv-SE', { timeZone: zone, hourCycle: 'h23' }).replace(' ', 'T');
		guess += wanted - Date.parse(`${local}Z`);
	}
	return new Date(guess);
}

/** The YYYY-MM-DD date `days` calendar days after (or before, negative) `date`. */
export function addDays(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
