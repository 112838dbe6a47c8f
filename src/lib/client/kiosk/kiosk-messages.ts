/**
 * What the kiosk says, in large type across a desk: a person's result, a
 * refused scan, the waiting count and the revoked screen. One place, so the
 * page and the tests use the same words.
 */
import { countOf, localTimeIn } from '$lib/contracts/building-time';
import type { Direction, ScanRefusal } from './scan-decision';

/** "Signed in 09:02" / "Signed out 17:31" in the kiosk's time zone. */
export function resultLine(direction: Direction, at: Date, timeZone: string): string {
	return `${direction === 'sign-in' ? 'Signed in' : 'Signed out'} ${localTimeIn(timeZone, at)}`;
}

/** During a fire roll call: "Marked safe at 09:45: go to the assembly point". */
export function safeLine(at: Date, timeZone: string): string {
	return `Marked safe at ${localTimeIn(timeZone, at)}: go to the assembly point`;
}

export const evacuationTitle = (drill: boolean) => (drill ? 'Fire drill' : 'Fire alarm: leave the building');
export const evacuationHelp = 'Scan your badge or tap your name as you leave, so the fire marshals know you are out.';

export const refusalMessages: Record<ScanRefusal, string> = {
	'not-a-badge': 'That QR code is not a staff badge. Show your badge to the camera.',
	'foreign-badge': 'This badge belongs to another building.',
	'badge-unknown': 'This badge is not recognised. It may have been revoked: please ask at reception.',
	'presence-code': 'That is a presence code for phones. Show your staff badge instead.',
	'no-roster': 'This kiosk has not loaded the staff list yet. Please try again in a minute.',
};

/**
 * "3 scans waiting to sync", "1 roll call start and 2 scans waiting to sync",
 * or null when none wait. A person marked safe on the way out scanned or
 * tapped their name: a scan. Starting a roll call is not.
 */
export function waitingLine(scans: number, rollCallStarts = 0): string | null {
	const parts = [rollCallStarts > 0 ? countOf(rollCallStarts, 'roll call start') : null, scans > 0 ? countOf(scans, 'scan') : null].filter(Boolean);
	return parts.length === 0 ? null : `${parts.join(' and ')} waiting to sync`;
}

/** "2 scans were refused by the register", or null. */
export function refusedLine(refused: number): string | null {
	return refused === 0 ? null : `${countOf(refused, 'scan')} ${refused === 1 ? 'was' : 'were'} refused by the register`;
}

export const revokedMessage = 'This kiosk was revoked. It no longer records sign-ins or sign-outs. Ask an administrator to pair it again.';

/** Why a pairing code did not work, from the server's answer. */
export function pairingProblem(reason: 'expired' | 'unknown' | 'offline' | 'invalid' | 'server', serverMessage?: string): string {
	switch (reason) {
		case 'expired':
			return 'This pairing code has expired. Ask an administrator for a new one (codes last 10 minutes).';
		case 'unknown':
			return serverMessage ?? 'This pairing code is not known. Check the 8 characters, or ask an administrator for a new code.';
		case 'invalid':
			return 'A pairing code has 8 letters and digits.';
		case 'offline':
			return 'The kiosk cannot reach the register. Check the network and try again.';
		default:
			return serverMessage ?? 'The register could not pair this kiosk. Please try again.';
	}
}
