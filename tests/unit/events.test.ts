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
