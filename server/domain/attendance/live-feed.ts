/**
 * The admin live view's source: every sign-in or sign-out on any instance
 * becomes one "presence change" (the person's row now, or null), numbered,
 * kept in a short replay buffer and handed to every open stream. A change is
 * looked up once per instance, whatever the number of streams; changes are
 * looked up one after another so two quick events for one person cannot
 * arrive out of order. A change is the person's whole row, so applying one
 * twice, or after a snapshot that already had it, is harmless.
 *
 * Catch-up: ids are `<boot>-<seq>`, meaningful only to this process. A
 * client that reconnects with a Last-Event-ID still in the buffer gets the
 * changes after it; anything else (another instance, a restart, too long
 * away) gets a fresh snapshot.
 */
import { randomBytes } from 'node:crypto';
import { logger } from '../../logger';
import type { NowSnapshot, PresenceChange } from '../../../src/lib/contracts/live';
import type { EventBus } from '../shared/events';
import { presenceOf, whoIsIn } from './presence-now';

export type FeedMessage = { kind: 'change'; id: string; change: PresenceChange } | { kind: 'resync' };
type Stream = (message: FeedMessage) => void;

const REPLAY_SIZE = 500;
/** How long after the last stream closed a reconnect still gets only what it missed (EventSource retries within seconds). */
const RECONNECT_GRACE_MS = 60_000;

export class LiveFeed {
	private readonly boot = randomBytes(4).toString('hex');
	private seq = 0;
	private readonly recent: { id: string; change: PresenceChange }[] = [];
	private readonly streams = new Set<Stream>();
	private lookups: Promise<void> = Promise.resolve();
	/** When a stream was last open: within the grace after it, changes are kept for its reconnect. */
	private lastWatchedAt = 0;

	/** Listens to every instance's attendance events on `bus`; returns the way to stop. */
	attach(bus: EventBus): () => void {
		const offs = [
			bus.onEverywhere('signed-in', (e) => this.changed(e.userId)),
			bus.onEverywhere('signed-out', (e) => this.changed(e.userId)),
			// Events may have been lost while the transport was away: every stream starts over.
			bus.onResync(() => this.streams.forEach((stream) => stream({ kind: 'resync' }))),
		];
		return () => offs.forEach((off) => off());
	}

	/** Resolves once the change is looked up and handed to every stream. */
	changed(userId: number): Promise<void> {
		this.lookups = this.lookups.then(async () => {
			if (this.streams.size === 0 && Date.now() - this.lastWatchedAt > RECONNECT_GRACE_MS) {
				// Nobody has watched for a while: skip the look-up (a statement per sign-in), and forget
				// the replay so a client that comes back later is sent a fresh snapshot instead.
				this.seq++;
				this.recent.length = 0;
				return;
			}
			try {
				const { today, row } = await presenceOf(userId);
				const id = `${this.boot}-${++this.seq}`;
				const change = { userId, row, today };
				this.recent.push({ id, change });
				if (this.recent.length > REPLAY_SIZE) this.recent.shift();
				for (const stream of this.streams) stream({ kind: 'change', id, change });
			} catch (error) {
				logger().error({ err: error, userId }, 'live view: could not look up a presence change');
			}
		});
		return this.lookups;
	}

	subscribe(stream: Stream): () => void {
		this.streams.add(stream);
		this.lastWatchedAt = Date.now();
		return () => {
			this.lastWatchedAt = Date.now();
			return this.streams.delete(stream);
		};
	}

	get streamCount(): number {
		return this.streams.size;
	}

	/** The changes after `lastEventId`, or null when this feed cannot tell (then send a snapshot). */
	changesSince(lastEventId: string): { id: string; change: PresenceChange }[] | null {
		const index = this.recent.findIndex((entry) => entry.id === lastEventId);
		if (index >= 0) return this.recent.slice(index + 1);
		const current = `${this.boot}-${this.seq}`;
		return lastEventId === current ? [] : null;
	}

	/** Everyone in now, stamped with the last change it includes at the least. */
	async snapshot(): Promise<NowSnapshot> {
		const lastEventId = this.seq ? `${this.boot}-${this.seq}` : null;
		return { ...(await whoIsIn()), lastEventId };
	}
}
