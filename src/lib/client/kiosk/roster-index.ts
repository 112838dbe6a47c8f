/**
 * The roster snapshot as the kiosk looks people up: by badge hash for a scan,
 * by user id for "Type your name", and by first letter for the name picker
 * (first and last names only: a reception screen shows no contact details).
 */
import type { KioskRoster, RosterPerson } from '$lib/contracts/kiosk-protocol';

export interface RosterIndex {
	byBadge: ReadonlyMap<string, RosterPerson>;
	byUser: ReadonlyMap<number, RosterPerson>;
}

export function indexRoster(roster: KioskRoster): RosterIndex {
	const byBadge = new Map<string, RosterPerson>();
	const byUser = new Map<number, RosterPerson>();
	for (const person of roster.people) {
		byUser.set(person.userId, person);
		for (const hash of person.badgeHashes) byBadge.set(hash.toLowerCase(), person);
	}
	return { byBadge, byUser };
}

/** A name in the "Type your name" list. */
export interface NameChoice {
	userId: number;
	name: string;
}

const letterOf = (person: RosterPerson) => (person.firstName.trim()[0] ?? '?').toLocaleUpperCase('en-GB');

/** The first letters that someone's first name begins with, in order. */
export function initialsOf(roster: KioskRoster): string[] {
	return [...new Set(roster.people.map(letterOf))].sort((a, b) => a.localeCompare(b, 'en-GB'));
}

/** Everyone whose first name begins with `letter`, as "First Last", sorted. */
export function namesStartingWith(roster: KioskRoster, letter: string): NameChoice[] {
	return roster.people
		.filter((person) => letterOf(person) === letter)
		.map((person) => ({ userId: person.userId, name: `${person.firstName} ${person.lastName}`.trim() }))
		.sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
}
