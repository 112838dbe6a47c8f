/** Slack incoming webhooks: a JSON body with the message as `text`. */
import { postJson } from '../http-post';

export async function postToSlack(url: string, text: string): Promise<void> {
	await postJson(url, JSON.stringify({ text }));
}
