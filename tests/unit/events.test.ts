import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '../../server/config';
import { EventBus, type AttendanceEvent } from '../../server/domain/shared/events';

const event: AttendanceEvent = {
	userId: 7,
	firstName: 'Ada',
	lastName: 'Lovelace',
	at: new Date('2026-01-10T09:00:00Z'),
	date: '2026-01-10',
	source: 'web',
	realtime: true,
};

describe('EventBus', () => {
	let bus: EventBus;

	beforeAll(() => {
		resetConfig({ logLevel: 'silent' });
	});

	beforeEach(() => {
		bus = new EventBus();
	});

	it('delivers an event to every listener for that name', async () => {
		const first = vi.fn();
		const second = vi.fn();
		const other = vi.fn();
		bus.on('signed-in', first);
		bus.on('signed-in', second);
		bus.on('signed-out', other);
		await bus.emit('signed-in', event);
		expect(first).toHaveBeenCalledExactlyOnceWith(event);
		expect(second).toHaveBeenCalledExactlyOnceWith(event);
		expect(other).not.toHaveBeenCalled();
	});

	it('waits for async listeners before emit resolves', async () => {
		let done = false;
		bus.on('signed-in', async () => {
			await new Promise((resolve) => setTimeout(resolve, 5));
			done = true;
		});
		await bus.emit('signed-in', event);
		expect(done).toBe(true);
	});

	it('still calls the other listeners, and resolves, when one throws and one rejects', async () => {
		const before = vi.fn();
		const after = vi.fn();
		bus.on('signed-out', before);
		bus.on('signed-out', () => {
			throw new Error('boom');
		});
		bus.on('signed-out', async () => {
			throw new Error('async boom');
		});
		bus.on('signed-out', after);
		await expect(bus.emit('signed-out', event)).resolves.toBeUndefined();
		expect(before).toHaveBeenCalledOnce();
		expect(after).toHaveBeenCalledOnce();
	});

	it('stops calling a listener after its unsubscribe function is called', async () => {
		const kept = vi.fn();
		const dropped = vi.fn();
		bus.on('signed-in', kept);
		const off = bus.on('signed-in', dropped);
		off();
		off(); // a second call is harmless and removes nothing else
		await bus.emit('signed-in', event);
		expect(dropped).not.toHaveBeenCalled();
		expect(kept).toHaveBeenCalledOnce();
	});

	it('removes every listener on clear()', async () => {
		const a = vi.fn();
		const b = vi.fn();
		bus.on('signed-in', a);
		bus.on('signed-out', b);
		bus.clear();
		await bus.emit('signed-in', event);
		await bus.emit('signed-out', event);
		expect(a).not.toHaveBeenCalled();
		expect(b).not.toHaveBeenCalled();
	});

	it('resolves when no listener is registered', async () => {
		await expect(bus.emit('signed-in', event)).resolves.toBeUndefined();
	});
});

describe('EventBus across instances', () => {
	beforeAll(() => {
		resetConfig({ logLevel: 'silent' });
	});

	/** Two buses joined by a transport that hands every envelope to both, as Redis pub/sub does (echo included). */
	function joinedPair() {
		const buses = [new EventBus(), new EventBus()];
		const receivers: ((raw: unknown) => void)[] = [];
		const published: unknown[] = [];
		for (const bus of buses) {
			void bus.connect({
				publish: async (envelope) => {
					published.push(envelope);
					const wire = JSON.parse(JSON.stringify(envelope)) as unknown;
					receivers.forEach((receive) => receive(wire));
				},
				start: async (receive) => void receivers.push(receive),
				close: async () => {},
			});
		}
		return { a: buses[0]!, b: buses[1]!, published };
	}

	it('hands another instance\'s events to onEverywhere listeners, with the instant as a Date', async () => {
		const { a, b } = joinedPair();
		const seen = vi.fn();
		b.onEverywhere('signed-in', seen);
		await a.emit('signed-in', event);
		await vi.waitFor(() => expect(seen).toHaveBeenCalledExactlyOnceWith(event));
	});

	it('runs on() listeners only where the action happened, and once', async () => {
		const { a, b } = joinedPair();
		const onA = vi.fn();
		const onB = vi.fn();
		const everywhereA = vi.fn();
		a.on('signed-out', onA);
		b.on('signed-out', onB);
		a.onEverywhere('signed-out', everywhereA);
		await a.emit('signed-out', event);
		await new Promise((resolve) => setTimeout(resolve, 10));
		expect(onA).toHaveBeenCalledOnce();
		expect(onB).not.toHaveBeenCalled();
		// Its own echo from the transport is not delivered a second time.
		expect(everywhereA).toHaveBeenCalledOnce();
	});

	it('ignores a malformed envelope instead of calling listeners with it', async () => {
		const bus = new EventBus();
		const seen = vi.fn();
		bus.onEverywhere('signed-in', seen);
		await bus.receive({ origin: 'elsewhere', name: 'signed-in', event: { userId: 'seven' } });
		await bus.receive('not an envelope');
		expect(seen).not.toHaveBeenCalled();
	});

	it('still delivers locally when publishing fails', async () => {
		const bus = new EventBus();
		await bus.connect({ publish: async () => Promise.reject(new Error('redis away')), start: async () => {}, close: async () => {} });
		const seen = vi.fn();
		bus.onEverywhere('settings-changed', seen);
		await expect(bus.emit('settings-changed', { keys: ['declaration'] })).resolves.toBeUndefined();
		expect(seen).toHaveBeenCalledExactlyOnceWith({ keys: ['declaration'] });
	});
});
