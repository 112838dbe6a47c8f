/**
 * Every sentence the staff page, the form posts and the APIs say about a
 * sign-in or sign-out, in one place for the server and the browser. An
 * outcome is always put in words: a no-op or a refusal is never silent.
 */
import { dateInWords, localDateIn, localTimeIn } from './building-time';

export type AttendanceKind = 'sign-in' | 'sign-out';

/** Why an action did not change anything, as the server reports it. */
export interface NoOpDetail {
	reason: 'already-signed-in' | 'already-signed-out';
	/** When the state it met began (signed in since) or ended (signed out at), ISO; null when unknown. */
	at: string | null;
	/** Whether that happened on another device than the one that sent this action. */
	elsewhere: boolean;
}

export const appliedMessages: Record<AttendanceKind, string> = {
	'sign-in': "You have successfully signed in. Don't forget to sign out when you leave.",
	'sign-out': 'You have successfully signed out. See you again soon!',
};

export const wrongDateMessages: Record<AttendanceKind, string> = {
	'sign-in': 'Sorry, you attempted to sign in for the wrong date.',
	'sign-out': 'Sorry, you attempted to sign out for the wrong date.',
};

/** Offline the register has not heard of the action yet, so the page must not claim success. */
export const queuedMessages: Record<AttendanceKind, string> = {
	'sign-in': 'Sign-in recorded on this phone. It will reach the register when you are back online.',
	'sign-out': 'Sign-out recorded on this phone. It will reach the register when you are back online.',
};

/** "17:00", or "17:00 on Monday 23 November" when it was not today. */
export function timeAndDay(iso: string, zone: string, now: Date): string {
	const at = new Date(iso);
	const time = localTimeIn(zone, at);
	const date = localDateIn(zone, at);
	const today = localDateIn(zone, now);
	return date === today ? time : `${time} on ${dateInWords(date, today.slice(0, 4))}`;
}

export function noOpMessage(detail: NoOpDetail, zone: string, now = new Date()): string {
	const where = detail.elsewhere ? ' on another device' : '';
	if (detail.reason === 'already-signed-in') {
		return detail.at
			? `You had already signed in at ${timeAndDay(detail.at, zone, now)}${where}.`
			: 'You were already signed in.';
	}
	return detail.at ? `You had already signed out at ${timeAndDay(detail.at, zone, now)}${where}.` : 'You were not signed in, so there was nothing to sign out of.';
}

const rejectionMessages: Record<string, string> = {
	'clock-ahead': "This phone's clock is ahead of the register's, so the time of this action cannot be trusted. Check the phone's date and time.",
	'too-old': 'This action waited too long on the phone to be recorded; ask an admin to correct your record.',
	'other-user': 'This action belongs to another person and waits for them to log in on this phone.',
	'id-conflict': 'This action clashed with another one and was not recorded.',
	'presence-stale': 'The code from the kiosk screen was out of date. Scan the code on the screen again.',
	'presence-invalid': 'The code is not one this building’s kiosks showed. Scan the code on the kiosk screen again.',
	'presence-required': 'At this entrance, scan the code on the door display instead of the poster.',
	'location-unknown': 'This poster is not one of this building’s entrances.',
};

export function rejectionMessage(kind: AttendanceKind, reason: string | undefined): string {
	const verb = kind === 'sign-in' ? 'sign-in' : 'sign-out';
	const why = (reason && rejectionMessages[reason]) ?? (reason?.startsWith('malformed') ? 'The phone sent it in a form the register could not read.' : 'The register refused it.');
	return `Your ${verb} was not recorded. ${why}`;
}
