/** What `npm start` tells the handler about each request before it sees it. */
import type { IncomingHttpHeaders } from 'node:http';
import { SERVED_PROTOCOL_HEADER, type Config } from '../config';

/**
 * This server speaks plain HTTP: without ORIGIN or a configured
 * PROTOCOL_HEADER, the handler learns that from a header set here, after
 * dropping any copy the client sent, so no client can make it think https.
 */
export function markServedProtocol(headers: IncomingHttpHeaders, settings: Pick<Config, 'origin' | 'proxy'>): void {
	delete headers[SERVED_PROTOCOL_HEADER];
	if (!settings.origin && !settings.proxy.protocolHeader) headers[SERVED_PROTOCOL_HEADER] = 'http';
}
