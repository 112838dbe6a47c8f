/**
 * Building-local dates and times, for the server and the browser alike (no
 * Node or DOM imports). Instants are UTC; "today" is the building's date.
 * Formatters are built once per zone: constructing an Intl.DateTimeFormat
 * costs far more than using one.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

function format(kind: 'date' | 'time' | 'words' | 'words-year', zone: string): Intl.DateTimeFormat {
	const key = `${kind} ${zone}`;
	let found = formats.get(key);
	if (!found) {
		const options: Record<typeof kind, [string, Intl.DateTimeFormatOptions]> = {
			date: ['en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }],
			time: ['en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }],
			words: ['en-GB', { weekday: 'long', day: 'numeric', month: 'long' }],
			'words-year': ['en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }],
		};
		const [locale, opts] = options[kind];
		found = new Intl.DateTimeFormat(locale, { timeZone: zone, ...opts });
		formats.set(key, found);
	}
	return found;
}

/** The last answer per zone: a request asks for today's date several times, and every request of a minute the same. */
const lastDates = new Map<string, { minute: number; date: string }>();

/** The building-local date of an instant as YYYY-MM-DD. */
export function localDateIn(zone: string, at: Date): string {
	// Zone offsets are whole minutes (since the 1970s everywhere), so the date cannot change within a UTC minute.
	const minute = Math.floor(at.getTime() / 60_000);
	const last = lastDates.get(zone);
	if (last?.minute === minute) return last.date;
	const date = format('date', zone).format(at);
	if (!Number.isNaN(minute)) lastDates.set(zone, { minute, date });
	return date;
}

/** The building-local wall-clock time of an instant as HH:MM (24 hours). */
export function localTimeIn(zone: string, at: Date): string {
	const parts = format('time', zone).formatToParts(at);
	const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
	return `${part('hour')}:${part('minute')}`;
}

/** A YYYY-MM-DD date in words: "Tuesday 24 November" (with the year when it is not `thisYear`). */
export function dateInWords(date: string, thisYear?: string): string {
	// Noon UTC of that date names the same calendar day in every zone the format is asked about.
	const noon = new Date(`${date}T12:00:00Z`);
	return format(thisYear === undefined || date.startsWith(thisYear) ? 'words' : 'words-year', 'UTC').format(noon).replace(',', '');
}

/** "1 person", "2 people"; "1 action", "3 actions". */
export function countOf(n: number, one: string, many = `${one}s`): string {
	return `${n} ${n === 1 ? one : many}`;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(zone: string, at: number): number {
	let f = offsetFormats.get(zone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
		offsetFormats.set(zone, f);
	}
	const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
	return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a building-local wall-clock time ("2026-01-12T08:00") names. In
 * the hour a clock change repeats, the first; in the hour it skips, the time
 * an hour on (as a wall clock would show it).
 */
export function instantOfLocal(zone: string, local: string): Date {
	const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(local);
	if (!m) return new Date(NaN);
	const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
	// The offsets half a day either side cover any clock change that day; keep the readings that give this wall time back.
	const before = offsetAt(zone, wall - 43_200_000);
	const fits = [before, offsetAt(zone, wall + 43_200_000)].map((o) => wall - o).filter((at) => offsetAt(zone, at) === wall - at);
	return new Date(fits.length ? Math.min(...fits) : wall - before);
}

/** An instant as a building-local "YYYY-MM-DDTHH:MM", the value of a datetime-local input. */
export function localDateTimeIn(zone: string, at: Date): string {
	return `${localDateIn(zone, at)}T${localTimeIn(zone, at)}`;
}
