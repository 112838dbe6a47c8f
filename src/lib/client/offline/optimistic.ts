/** What to show before the server has confirmed: the server's status with the waiting actions applied. */
import type { SyncStatus } from '$lib/contracts/sync-protocol';
import type { OutboxEntry } from './db';

export interface ShownStatus {
	signedIn: boolean;
	sinceTime: string | null;
}

export function timeFormatter(timeZone: string): (iso: string) => string {
	const format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
	return (iso) => format.format(new Date(iso));
}

export function dateIn(timeZone: string, at: Date = new Date()): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Applies the waiting actions of the status's day, oldest first, as the server will. */
export function shownStatus(server: SyncStatus, waiting: OutboxEntry[], timeZone: string): ShownStatus {
	const time = timeFormatter(timeZone);
	let shown: ShownStatus = { signedIn: server.signedIn, sinceTime: server.sinceTime };
	for (const entry of waiting) {
		if (dateIn(timeZone, new Date(entry.clientAt)) !== server.date) continue;
		if (entry.kind === 'sign-in' && !shown.signedIn) shown = { signedIn: true, sinceTime: time(entry.clientAt) };
		if (entry.kind === 'sign-out' && shown.signedIn) shown = { signedIn: false, sinceTime: null };
	}
	return shown;
}
