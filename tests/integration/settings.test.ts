import { randomUUID } from 'node:crypto';
import { afterEach, expect, it, vi } from 'vitest';
import { AuditRecord } from '../../server/db/models/attendance.model';
import { Setting } from '../../server/db/models/operations.model';
import type { AdminActor } from '../../server/domain/shared/admin-audit';
import { DomainError } from '../../server/domain/shared/errors';
import { EventBus } from '../../server/domain/shared/events';
import { forgetSettings, getSetting, getSettings, settingsInput, updateSettings, watchSettings } from '../../server/domain/shared/settings';
import { redisTransport } from '../../server/integrations/redis';
import { redisDescribe, testRedisUrl } from '../support/redis';
import { useTestDatabase } from './support/database';
import { newUser } from './support/factories';

const db = await useTestDatabase();
const describeRedis = await redisDescribe();

const valid = { buildingName: 'Head Office', declaration: 'I will sign out when I leave.', reminderTime: '10:30', reminderPmTime: '16:45', dayEndTime: '23:30', maxShiftHours: '12', retentionDays: '90' };

async function adminActorFor(): Promise<AdminActor> {
	const admin = await newUser({ role: 'admin' });
	return { id: admin.id, request: { ip: '198.51.100.9', userAgent: 'vitest tablet' } };
}

db.describe(`settings (${db.dialect})`, () => {
	it('saves every changed setting with an audit record of who changed it from what to what, and tells the bus', async () => {
		const actor = await adminActorFor();
		const bus = new EventBus();
		const told = vi.fn();
		bus.onEverywhere('settings-changed', told);
		const before = await getSettings();
		const changed = await updateSettings(actor, { ...before, declaration: 'Lanyards on, please.', retentionDays: '60' }, bus);
		expect(changed.sort()).toEqual(['declaration', 'retentionDays']);
		expect(await getSetting('declaration')).toBe('Lanyards on, please.');
		expect(told).toHaveBeenCalledExactlyOnceWith({ keys: changed });
		const audits = await AuditRecord.findAll({ where: { action: 'setting-changed', actorId: actor.id }, order: [['id', 'ASC']] });
		expect(audits.map((a) => JSON.parse(a.details!))).toEqual([
			{ setting: 'declaration', from: before.declaration, to: 'Lanyards on, please.' },
			{ setting: 'retentionDays', from: before.retentionDays, to: '60' },
		]);
		expect(audits[0]).toMatchObject({ source: 'admin', ip: '198.51.100.9', userAgent: 'vitest tablet' });
	});

	it('saves nothing, and audits nothing, when one value is refused', async () => {
		const actor = await adminActorFor();
		const before = await getSettings();
		const attempt = updateSettings(actor, { declaration: 'A new text that would be fine', maxShiftHours: '30' });
		await expect(attempt).rejects.toThrow(DomainError);
		await expect(attempt).rejects.toThrow('The maximum shift must be a whole number from 1 to 24.');
		forgetSettings();
		expect(await getSettings()).toEqual(before);
		expect(await AuditRecord.count({ where: { actorId: actor.id } })).toBe(0);
	});

	it('checks the form as a whole with clear messages', () => {
		expect(settingsInput.safeParse(valid).success).toBe(true);
		const messages = (input: Record<string, string>) => settingsInput.safeParse(input).error?.issues.map((i) => i.message);
		expect(messages({ ...valid, reminderPmTime: '09:00' })).toEqual(['The afternoon reminder must come after the first reminder.']);
		expect(messages({ ...valid, dayEndTime: '16:00' })).toEqual(['The end of the day must come after the afternoon reminder.']);
		expect(messages({ ...valid, dayEndTime: '24:00' })).toEqual(['The end of the day must be a time such as 09:30 (24 hours).']);
		expect(messages({ ...valid, reminderTime: '25:00' })).toEqual(['The reminder time must be a time such as 09:30 (24 hours).']);
		expect(messages({ ...valid, buildingName: '   ' })).toEqual(['The building name cannot be empty.']);
		expect(messages({ ...valid, retentionDays: '0' })).toEqual(['Retention must be a whole number from 1 to 3650.']);
	});

	describeRedis('across instances', () => {
		const buses: EventBus[] = [];
		const offs: (() => void)[] = [];
		afterEach(async () => {
			offs.splice(0).forEach((off) => off());
			await Promise.all(buses.splice(0).map((bus) => bus.disconnect()));
		});

		async function twoInstances() {
			const channel = `test:${randomUUID()}`;
			const [a, b] = [new EventBus(), new EventBus()];
			buses.push(a, b);
			await a.connect(redisTransport(testRedisUrl, channel));
			await b.connect(redisTransport(testRedisUrl, channel));
			return { a, b };
		}

		it('a change announced by one instance drops the cached value on another at once', async () => {
			const { a, b } = await twoInstances();
			offs.push(watchSettings(b));
			forgetSettings();
			const cached = await getSetting('buildingName');
			// Instance A writes the row (its own cache is its own business) and announces it.
			await Setting.upsert({ key: 'buildingName', value: `${cached} East` });
			expect(await getSetting('buildingName')).toBe(cached); // still cached here
			await a.emit('settings-changed', { keys: ['buildingName'] });
			await vi.waitFor(async () => expect(await getSetting('buildingName')).toBe(`${cached} East`));
		});

		it('without the watch the other instance keeps its cached value (the TTL is the only fallback)', async () => {
			const { a } = await twoInstances();
			forgetSettings();
			const cached = await getSetting('declaration');
			await Setting.upsert({ key: 'declaration', value: `${cached} (unseen)` });
			await a.emit('settings-changed', { keys: ['declaration'] });
			await new Promise((resolve) => setTimeout(resolve, 200));
			expect(await getSetting('declaration')).toBe(cached);
			forgetSettings();
		});
	});
});

