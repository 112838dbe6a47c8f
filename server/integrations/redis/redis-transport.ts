/**
 * Events between app instances through Redis pub/sub (ioredis): one
 * connection publishes, another subscribes (a subscribed connection can do
 * nothing else). Redis is a convenience for the live view, never a
 * dependency of signing in: while it is away, publishing fails fast (no
 * offline queue, so nothing piles up in memory), the failure is logged by the
 * bus, and ioredis keeps reconnecting; once the subscriber is back the bus is
 * told to resync, because events may have been missed meanwhile.
 */
import { Redis } from 'ioredis';
import { logger } from '../../logger';
import type { EventTransport, WireEnvelope } from '../../domain/shared/events';

export const defaultChannel = 'building-register:events';

/** Back off up to 2 s between attempts, forever: the app keeps working meanwhile. */
const retryStrategy = (attempt: number) => Math.min(attempt * 200, 2000);

export function redisTransport(url: string, channel = defaultChannel): EventTransport {
	const publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy, lazyConnect: true });
	const subscriber = new Redis(url, { retryStrategy, lazyConnect: true });
	let lost = false;
	for (const [role, connection] of [['publisher', publisher], ['subscriber', subscriber]] as const) {
		// Without a listener ioredis prints every failed attempt as an unhandled error.
		connection.on('error', (error: Error) => logger().warn({ err: error.message, role }, 'redis connection problem'));
	}
	subscriber.on('close', () => {
		lost = true;
	});

	return {
		async publish(envelope: WireEnvelope) {
			await publisher.publish(channel, JSON.stringify(envelope));
		},
		async start(receive, resynced) {
			subscriber.on('message', (from: string, message: string) => {
				if (from !== channel) return;
				try {
					receive(JSON.parse(message));
				} catch {
					logger().warn({ channel }, 'ignored an event that is not JSON');
				}
			});
			subscriber.on('ready', () => {
				if (!lost) return;
				lost = false;
				logger().info('redis connection back: live views resync');
				resynced();
			});
			try {
				await Promise.all([publisher.connect(), subscriber.connect()]);
				await subscriber.subscribe(channel);
			} catch (error) {
				// A Redis that is down at start must not stop the app: the connections keep retrying, and the queued subscribe goes out once one succeeds.
				subscriber.subscribe(channel).catch(() => undefined);
				lost = true;
				logger().warn({ err: error instanceof Error ? error.message : String(error) }, 'redis not reachable yet: events stay on this instance until it is');
			}
		},
		async close() {
			publisher.disconnect();
			subscriber.disconnect();
		},
	};
}
