/** The live view's rules, pure: apply a change, filter by name, order, count. */
import type { PresenceChange, PresenceRow } from '$lib/contracts/live';

/**
 * A change replaces the person's row (or removes it): applying it twice
 * changes nothing more. A change from a new day makes yesterday's open
 * records "did not sign out".
 */
export function applyChange(people: readonly PresenceRow[], change: PresenceChange): PresenceRow[] {
	const others = people.filter((p) => p.userId !== change.userId).map((p) => (p.stale || p.date >= change.today ? p : { ...p, stale: true }));
	return change.row ? [...others, change.row] : others;
}

const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** Everyone whose name contains each word typed, in any order, ignoring case and accents. */
export function matchingName(people: readonly PresenceRow[], query: string): PresenceRow[] {
	const words = fold(query).split(/\s+/).filter(Boolean);
	if (words.length === 0) return [...people];
	return people.filter((p) => {
		const name = fold(`${p.firstName} ${p.lastName}`);
		return words.every((word) => name.includes(word));
	});
}

/** By first name, then last name, as the original's report. */
export const byName = (a: PresenceRow, b: PresenceRow) => a.firstName.localeCompare(b.firstName) || a.lastName.localeCompare(b.lastName) || a.userId - b.userId;

/** People in today, and people still open from an earlier day (they did not sign out), each by name. */
export function splitByDay(people: readonly PresenceRow[]): { inNow: PresenceRow[]; notSignedOut: PresenceRow[] } {
	const sorted = [...people].sort(byName);
	return { inNow: sorted.filter((p) => !p.stale), notSignedOut: sorted.filter((p) => p.stale) };
}

/** The original report's sentence, kept word for word. */
export function countSentence(count: number): string {
	return count === 1 ? 'There is currently 1 person signed-in' : `There are currently ${count} people signed-in`;
}
