/**
 * "I'm safe" links: `/safe/<broadcast>.<user>.<mac>`, where the mac is a
 * keyed hash (SECRET_KEY) of the purpose, broadcast and person, cut to 128
 * bits. Nothing is stored per link; a link says one thing about one person
 * for one broadcast, and an altered one fails the check.
 */
import { keyedHash, sameHash } from '../identity/secrets';

const macOf = (broadcastId: number, userId: number) => keyedHash(`im-safe:${broadcastId}:${userId}`).slice(0, 32);

export const safeToken = (broadcastId: number, userId: number): string => `${broadcastId}.${userId}.${macOf(broadcastId, userId)}`;

export const safeLink = (origin: string, broadcastId: number, userId: number): string => new URL(`/safe/${safeToken(broadcastId, userId)}`, origin).toString();

/** The broadcast and person a token speaks for, or null for a forged or mangled one. */
export function readSafeToken(token: string): { broadcastId: number; userId: number } | null {
	const match = /^(\d{1,9})\.(\d{1,9})\.([0-9a-f]{32})$/.exec(token);
	if (!match) return null;
	const broadcastId = Number(match[1]);
	const userId = Number(match[2]);
	return sameHash(match[3]!, macOf(broadcastId, userId)) ? { broadcastId, userId } : null;
}
