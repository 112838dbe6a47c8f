import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { resetConfig } from '../../server/config';
import { EventBus, type AttendanceEvent } from '../../server/domain/shared/events';
import { redisTransport } from '../../server/integrations/redis';
import { redisDescribe, testRedisUrl } from '../support/redis';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

const describeRedis = await redisDescribe();

const event: AttendanceEvent = { userId: 9, firstName: 'Grace', lastName: 'Hopper', at: new Date('2026-03-01T08:30:00Z'), date: '2026-03-01', source: 'kiosk', realtime: true };

describeRedis('EventBus through Redis pub/sub', () => {
	const buses: EventBus[] = [];
	beforeAll(() => {
		resetConfig({ logLevel: 'silent' });
	});
	afterEach(async () => {
		await Promise.all(buses.splice(0).map((bus) => bus.disconnect()));
	});

	async function pair(channel = `test:${randomUUID()}`) {
		const a = new EventBus();
		const b = new EventBus();
		buses.push(a, b);
		await a.connect(redisTransport(testRedisUrl, channel));
		await b.connect(redisTransport(testRedisUrl, channel));
		return { a, b };
	}

	it('two buses on two connections see each other\'s events, each exactly once', async () => {
		const { a, b } = await pair();
		const seenByA = vi.fn();
		const seenByB = vi.fn();
		a.onEverywhere('signed-in', seenByA);
		b.onEverywhere('signed-in', seenByB);
		await a.emit('signed-in', event);
		await b.emit('signed-in', { ...event, userId: 10 });
		await vi.waitFor(() => {
			expect(seenByA.mock.calls.map(([e]) => (e as AttendanceEvent).userId).sort()).toEqual([10, 9].sort());
			expect(seenByB.mock.calls.map(([e]) => (e as AttendanceEvent).userId).sort()).toEqual([9, 10].sort());
		});
		expect(seenByB.mock.calls.find(([e]) => (e as AttendanceEvent).userId === 9)![0]).toEqual(event);
	});

	it('keeps channels apart: another channel\'s events do not arrive', async () => {
		const { a } = await pair();
		const { b } = await pair();
		const seen = vi.fn();
		b.onEverywhere('signed-out', seen);
		await a.emit('signed-out', event);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(seen).not.toHaveBeenCalled();
	});

	it('starts, and emits locally, with Redis unreachable', async () => {
		const bus = new EventBus();
		buses.push(bus);
		await bus.connect(redisTransport('redis://127.0.0.1:1'));
		const seen = vi.fn();
		bus.onEverywhere('signed-in', seen);
		await bus.emit('signed-in', event);
		expect(seen).toHaveBeenCalledOnce();
	});

	it('survives a lost connection: local events go on, and after reconnecting it resyncs and hears the others again', async () => {
		const target = new URL(testRedisUrl);
		const proxy: TcpProxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
		try {
			const channel = `test:${randomUUID()}`;
			const flaky = new EventBus();
			const steady = new EventBus();
			buses.push(flaky, steady);
			await flaky.connect(redisTransport(`redis://127.0.0.1:${proxy.port}`, channel));
			await steady.connect(redisTransport(testRedisUrl, channel));
			const heardHere = vi.fn();
			const heardFromSteady = vi.fn();
			const resynced = vi.fn();
			flaky.on('signed-in', heardHere);
			flaky.onEverywhere('signed-out', heardFromSteady);
			flaky.onResync(resynced);

			await proxy.cut();
			await expect(flaky.emit('signed-in', event)).resolves.toBeUndefined();
			expect(heardHere).toHaveBeenCalledOnce();

			await proxy.resume();
			await vi.waitFor(() => expect(resynced).toHaveBeenCalled(), { timeout: 10_000 });
			await vi.waitFor(
				async () => {
					await steady.emit('signed-out', event);
					expect(heardFromSteady).toHaveBeenCalled();
				},
				{ timeout: 10_000, interval: 300 },
			);
		} finally {
			await proxy.close();
		}
	});
});
