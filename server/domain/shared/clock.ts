/** Building-local dates and times. Instants are stored in UTC; "today" is the building's date. */
import { config } from '../../config';

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();

function cachedFormat(cache: Map<string, Intl.DateTimeFormat>, zone: string, options: Intl.DateTimeFormatOptions) {
	let format = cache.get(zone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, ...options });
		cache.set(zone, format);
	}
	return format;
}

/** The building-local date of an instant as YYYY-MM-DD. */
export function localDate(at: Date, zone = config().buildingTz): string {
	return cachedFormat(dateFormats, zone, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The building-local wall-clock time of an instant as HH:MM (24 hours). */
export function localTime(at: Date, zone = config().buildingTz): string {
	const parts = cachedFormat(timeFormats, zone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
	const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
	return `${part('hour')}:${part('minute')}`;
}

export const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
	if (!isoDatePattern.test(value)) return false;
	const parsed = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}
