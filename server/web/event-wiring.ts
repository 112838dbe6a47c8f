/**
 * Starts what listens to the event bus in a running app: the live view's
 * feed, the settings cache's invalidation, chat messages, webhooks and pushes and, with REDIS_URL, the Redis
 * transport that carries events between instances.
 */
import { config } from '../config';
import { LiveFeed } from '../domain/attendance/live-feed';
import { events } from '../domain/shared/events';
import { watchSettings } from '../domain/shared/settings';
import { redisTransport } from '../integrations/redis';
import { logger } from '../logger';
import { startOutbound } from './outbound-wiring';

let feed: LiveFeed | undefined;

/** This process's live feed, attached to the bus on first use. */
export function liveFeed(): LiveFeed {
	if (!feed) {
		feed = new LiveFeed();
		feed.attach(events);
	}
	return feed;
}

export async function startEvents(): Promise<void> {
	liveFeed();
	watchSettings(events);
	startOutbound(events);
	const { redisUrl, redisChannel, webConcurrency, database } = config();
	if (redisUrl) {
		await events.connect(redisTransport(redisUrl, redisChannel));
		logger().info('events cross instances through redis');
	} else if (webConcurrency > 1 && database.dialect === 'mysql') {
		logger().warn('several workers without REDIS_URL: each live view sees only its own worker\'s sign-ins until it polls again');
	}
}
