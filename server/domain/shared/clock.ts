/** Building-local dates and times. Instants are stored in UTC; "today" is the building's date. */
import { config } from '../../config';
import { localDateIn, localTimeIn } from '../../../src/lib/contracts/building-time';

/** The building-local date of an instant as YYYY-MM-DD. */
export function localDate(at: Date, zone = config().buildingTz): string {
	return localDateIn(zone, at);
}

/** The building-local wall-clock time of an instant as HH:MM (24 hours). */
export function localTime(at: Date, zone = config().buildingTz): string {
	return localTimeIn(zone, at);
}

export const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
	if (!isoDatePattern.test(value)) return false;
	const parsed = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}
