/**
 * Starts what tells the outside world about changes: chat messages (Slack,
 * Teams), signed webhooks with their retry worker, and the Web Push channel.
 * Each listens on this instance only, so one action is announced once.
 */
import { announceInChat } from '../domain/notifications/chat-announcements';
import { sendWebhooksFor, startWebhookWorker } from '../domain/notifications/webhook-worker';
import type { EventBus } from '../domain/shared/events';
import { registerWebPush } from '../notify/webpush.notifier';

let started = false;

export function startOutbound(bus: EventBus): void {
	if (started) return;
	started = true;
	announceInChat(bus);
	sendWebhooksFor(bus);
	startWebhookWorker();
	registerWebPush();
}
