/**
 * Microsoft Teams through a Workflows webhook ("Post to a channel when a
 * webhook request is received"): the old Office 365 connectors are retired,
 * and the workflow expects a message whose attachments are Adaptive Cards.
 */
import { postJson } from '../http-post';

export function teamsMessage(text: string) {
	return {
		type: 'message',
		attachments: [
			{
				contentType: 'application/vnd.microsoft.card.adaptive',
				contentUrl: null,
				content: {
					$schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
					type: 'AdaptiveCard',
					version: '1.4',
					body: [{ type: 'TextBlock', text, wrap: true }],
				},
			},
		],
	};
}

export async function postToTeams(url: string, text: string): Promise<void> {
	await postJson(url, JSON.stringify(teamsMessage(text)));
}
