/**
 * Redis for tests: REDIS_URL or 127.0.0.1:6379. Without a server the Redis
 * tests are skipped with a loud warning, except under CI=true where they fail.
 */
import { Redis } from 'ioredis';
import { describe } from 'vitest';

export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function redisDescribe(): Promise<(name: string, body: () => void) => void> {
	const probe = new Redis(testRedisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
	probe.on('error', () => {});
	try {
		await probe.connect();
		await probe.ping();
		return describe;
	} catch (error) {
		if (process.env.CI === 'true') throw new Error(`CI=true needs Redis at ${testRedisUrl}: ${String(error)}`);
		console.warn(`\n!!!!!! Redis tests SKIPPED: no server answers at ${testRedisUrl}.\n`);
		return describe.skip;
	} finally {
		probe.disconnect();
	}
}
