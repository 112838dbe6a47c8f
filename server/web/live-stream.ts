/**
 * The live view as a server-sent event stream (text/event-stream): a snapshot
 * (or the changes missed since Last-Event-ID), then every change as it comes,
 * with a comment line as a heartbeat so proxies keep the connection open and
 * a dead client is noticed. Changes arriving while the snapshot is read are
 * held back and sent after it.
 */
import type { LiveFeed, FeedMessage } from '../domain/attendance/live-feed';
import { liveEventNames } from '../../src/lib/contracts/live';
import { logger } from '../logger';

const HEARTBEAT_MS = 15_000;
/** How long a browser waits before reconnecting after the stream drops. */
const RETRY_MS = 2_000;

const frame = (event: string, data: unknown, id?: string | null) => `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export function liveStreamResponse(feed: LiveFeed, lastEventId: string | null, signal?: AbortSignal, heartbeatMs = HEARTBEAT_MS): Response {
	const encoder = new TextEncoder();
	let stop = () => {};
	const body = new ReadableStream<Uint8Array>({
		async start(controller) {
			let open = true;
			const write = (text: string) => {
				if (!open) return;
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					stop();
				}
			};
			let held: FeedMessage[] | null = [];
			const sendSnapshot = async () => {
				const snapshot = await feed.snapshot();
				write(frame(liveEventNames.snapshot, snapshot, snapshot.lastEventId));
			};
			const deliver = (message: FeedMessage) => {
				if (message.kind === 'resync') void sendSnapshot().catch(() => stop());
				else write(frame(liveEventNames.change, message.change, message.id));
			};
			const unsubscribe = feed.subscribe((message) => (held ? held.push(message) : deliver(message)));
			const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
			stop = () => {
				if (!open) return;
				open = false;
				clearInterval(heartbeat);
				unsubscribe();
				try {
					controller.close();
				} catch {
					// already closed by the client going away
				}
			};
			signal?.addEventListener('abort', () => stop(), { once: true });
			write(`retry: ${RETRY_MS}\n\n`);
			try {
				const missed = lastEventId ? feed.changesSince(lastEventId) : null;
				if (missed) missed.forEach(({ id, change }) => write(frame(liveEventNames.change, change, id)));
				else await sendSnapshot();
			} catch (error) {
				logger().error({ err: error }, 'live view: could not start a stream');
				stop();
				return;
			}
			const waiting = held;
			held = null;
			waiting.forEach(deliver);
		},
		cancel() {
			stop();
		},
	});
	return new Response(body, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-cache, no-transform',
			connection: 'keep-alive',
			// nginx would otherwise buffer the stream.
			'x-accel-buffering': 'no',
		},
	});
}
