/**
 * The admin live view's wire format (server-sent events and the polling
 * fallback), shared by the server and the browser. zod/mini keeps the
 * browser's share small.
 */
import * as z from 'zod/mini';

/** One person in the building now: their open record. */
export const presenceRow = z.object({
	userId: z.number(),
	firstName: z.string(),
	lastName: z.string(),
	/** When the open record began (ISO instant). */
	since: z.string(),
	/** `since` as building-local HH:MM (the browser may be in another zone). */
	sinceTime: z.string(),
	/** The record's building-local date. */
	date: z.string(),
	/** Where they came in, when known. */
	location: z.nullable(z.string()),
	/** Open from an earlier day: they did not sign out. */
	stale: z.boolean(),
});
export type PresenceRow = z.infer<typeof presenceRow>;

export const nowSnapshot = z.object({
	/** The building-local date the snapshot was taken on. */
	today: z.string(),
	people: z.array(presenceRow),
	/** The id of the last change the snapshot includes (the stream's position). */
	lastEventId: z.nullable(z.string()),
});
export type NowSnapshot = z.infer<typeof nowSnapshot>;

/** One person's presence changed: their row now, or null when they left. */
export const presenceChange = z.object({
	userId: z.number(),
	row: z.nullable(presenceRow),
	today: z.string(),
});
export type PresenceChange = z.infer<typeof presenceChange>;

/** SSE event names. */
export const liveEventNames = { snapshot: 'snapshot', change: 'presence' } as const;
