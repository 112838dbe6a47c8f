import type { RequestHandler } from './$types';
import { liveFeed } from '$server/web/event-wiring';
import { requireAdmin } from '$server/web/guards';
import { liveStreamResponse } from '$server/web/live-stream';

/** The live view's event stream (server-sent events), admins only. */
export const GET: RequestHandler = ({ locals, url, request }) => {
	requireAdmin(locals.user, url);
	return liveStreamResponse(liveFeed(), request.headers.get('last-event-id'), request.signal);
};
