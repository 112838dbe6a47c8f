/** What the server says when it starts: where it is, and any setting worth a warning. */
import { config } from '../config';
import { logger } from '../logger';

export function announceStart(): void {
	const c = config();
	if (c.devLogin) {
		logger().warn('The development console login is on: anyone who can read this console can log in as anyone.');
		if (c.origin) logger().warn({ origin: c.origin }, 'DEV_LOGIN=on on a deployment with ORIGIN set: turn it off once a real login method works.');
	}
	logger().info({ database: c.database.dialect, timeZone: c.buildingTz }, 'ready');
}
