/**
 * Tells chat channels (Slack, Teams) who came and went, as the original did:
 * "User First Last signed in. There are now N users signed in." Only actions
 * that happened just now: one queued offline and synced later pages nobody.
 * A failing webhook is logged; the sign-in itself has long been committed.
 */
import { config } from '../../config';
import { postToSlack } from '../../integrations/slack/slack-webhook';
import { postToTeams } from '../../integrations/teams/teams-webhook';
import { logger } from '../../logger';
import { headCount } from '../attendance/presence-now';
import type { AttendanceEvent, EventBus } from '../shared/events';

export type Movement = 'signed in' | 'signed out';

export const chatText = (event: Pick<AttendanceEvent, 'firstName' | 'lastName'>, movement: Movement, count: number): string =>
	`User ${event.firstName} ${event.lastName} ${movement}. There are now ${count} users signed in.`;

async function announce(event: AttendanceEvent, movement: Movement): Promise<void> {
	const { slack, teams } = config().chat;
	if (!event.realtime || (slack.length === 0 && teams.length === 0)) return;
	const text = chatText(event, movement, await headCount());
	const posts = [...slack.map((url) => ({ url, post: postToSlack })), ...teams.map((url) => ({ url, post: postToTeams }))];
	await Promise.all(
		posts.map(async ({ url, post }) => {
			try {
				await post(url, text);
			} catch (error) {
				logger().warn({ err: error, host: new URL(url).host, userId: event.userId }, 'chat webhook failed');
			}
		}),
	);
}

/** Listens on this instance only: each sign-in is announced once, by the instance that recorded it. */
export function announceInChat(bus: EventBus): () => void {
	const offIn = bus.on('signed-in', (event) => announce(event, 'signed in'));
	const offOut = bus.on('signed-out', (event) => announce(event, 'signed out'));
	return () => {
		offIn();
		offOut();
	};
}
