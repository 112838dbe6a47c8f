/**
 * Turns bus events into queued webhooks and sends them: at once after an
 * event (so a receiver hears within a second), and every 15 s for retries
 * and for rows another instance left behind. Any number of instances may
 * run this: the claim in webhook-deliveries.ts keeps each try single.
 */
import { logger } from '../../logger';
import type { EventBus } from '../shared/events';
import { enqueueWebhookEvent, forgetWebhookEndpoints, processDueWebhooks } from './webhook-deliveries';
import { attendanceData, correctionData, webhookEvent, type WebhookEvent } from './webhook-events';

const POLL_MS = 15_000;
let running: Promise<unknown> | undefined;
let again = false;

/** Sends what is due; a kick during a round runs one more round after it, so no event waits for the poll. */
export function kickWebhooks(): Promise<unknown> {
	if (running) {
		again = true;
		return running;
	}
	running = (async () => {
		do {
			again = false;
			await processDueWebhooks();
		} while (again);
	})()
		.catch((error: unknown) => logger().error({ err: error }, 'webhook round failed'))
		.finally(() => (running = undefined));
	return running;
}

/** Queues every change as a webhook; `send: false` only queues (tests drive the sending). */
export function sendWebhooksFor(bus: EventBus, { send = true } = {}): () => void {
	const queue = async (event: WebhookEvent) => {
		if ((await enqueueWebhookEvent(event)) > 0 && send) void kickWebhooks();
	};
	const offs = [
		bus.on('signed-in', (e) => queue(webhookEvent('sign-in', attendanceData(e)))),
		bus.on('signed-out', (e) => queue(webhookEvent('sign-out', attendanceData(e)))),
		bus.on('record-corrected', (e) => queue(webhookEvent('correction', correctionData(e)))),
		bus.onEverywhere('webhooks-changed', () => forgetWebhookEndpoints()),
	];
	return () => offs.forEach((off) => off());
}

export function startWebhookWorker(): () => void {
	const timer = setInterval(() => void kickWebhooks(), POLL_MS);
	timer.unref();
	return () => clearInterval(timer);
}
