/**
 * What logging out means on this device, besides ending the server session:
 * forget whose session this browser has (Background Sync then sends nobody's
 * actions) and delete the cached pages, which show that person's name and
 * status, and the roll call's list (names and phone numbers). The outbox
 * is kept: queued actions wait for their person's next login (DESIGN §4.5),
 * so logout only asks first when some are waiting.
 */
import { countOf } from '$lib/contracts/building-time';
import { isPagesCache } from './cache-names';
import { registerDb } from './db';
import { entriesFor, isWaiting } from './outbox';
import { forgetSnapshot } from '../rollcall/rollcall-store';

/** How many of the person's actions have not reached the server yet (refused ones are not waiting). */
export async function waitingActionsOf(userId: number): Promise<number> {
	return (await entriesFor(userId)).filter(isWaiting).length;
}

/** The question logout asks when `waiting` actions would otherwise leave with the person. */
export function logoutQuestion(waiting: number): string {
	const actions = countOf(waiting, 'sign-in/out', 'sign-ins/outs');
	const verb = waiting === 1 ? 'is' : 'are';
	const pronoun = waiting === 1 ? 'it' : 'they';
	return `${actions} ${verb} still waiting to reach the register; ${pronoun} will be kept and sent when you log in again. Log out anyway?`;
}

/** Deletes the cached pages of every app version; they were rendered for whoever was logged in. */
export async function dropCachedPages(): Promise<void> {
	if (!('caches' in globalThis)) return;
	for (const name of await caches.keys()) if (isPagesCache(name)) await caches.delete(name);
}

/** Nobody's session is on this browser any more: Background Sync must not send as the last person. */
export async function forgetCurrentUser(): Promise<void> {
	await (await registerDb()).delete('meta', 'currentUserId');
}

/** Everything this device remembers about the session, except the outbox. Never throws: logout must not fail here. */
export async function forgetSession(): Promise<void> {
	await Promise.allSettled([dropCachedPages(), forgetCurrentUser(), forgetSnapshot()]);
}

/** Ends the server session with the same POST the no-JavaScript form sends. False when it did not happen. */
export async function endServerSession(fetchFn: typeof fetch = fetch): Promise<boolean> {
	try {
		const response = await fetchFn('/logout', { method: 'POST', body: new FormData(), redirect: 'manual', credentials: 'same-origin' });
		// The action answers 303 to /login, which a manual redirect shows as an opaque redirect.
		return response.type === 'opaqueredirect' || response.ok;
	} catch {
		return false;
	}
}
