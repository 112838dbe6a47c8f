/**
 * Settings an admin can change at run time, each with its default and its
 * rule. Reads go through a short-lived cache: a sign-in must not cost a
 * settings query, and a change reaches every instance within CACHE_MS.
 */
import { Setting } from '../../db/models/operations.model';
import { DomainError } from './errors';
import type { EventBus } from './events';

export const settingDefaults = {
	declaration:
		'I have no symptoms of an infectious illness, I have read the building risk assessment, and I will follow its guidance while I am here.',
	/** How long an open record may run and still be closed by a sign-out (crossing midnight included). */
	maxShiftHours: '16',
} as const;

export type SettingKey = keyof typeof settingDefaults;

const CACHE_MS = 30_000;

const validators: Record<SettingKey, (value: string) => string | null> = {
	declaration: (v) => (v.length > 2000 ? 'The text must be at most 2000 characters.' : null),
	maxShiftHours: (v) => (/^\d{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= 24 ? null : 'The maximum shift must be a whole number of hours from 1 to 24.'),
};

const cache = new Map<SettingKey, { value: string; until: number }>();

export async function getSetting(key: SettingKey, now = Date.now()): Promise<string> {
	const hit = cache.get(key);
	if (hit && hit.until > now) return hit.value;
	const row = await Setting.findByPk(key);
	const value = row?.value ?? settingDefaults[key];
	cache.set(key, { value, until: now + CACHE_MS });
	return value;
}

export async function setSetting(key: SettingKey, value: string): Promise<void> {
	const trimmed = value.trim();
	if (!trimmed) throw new DomainError('invalid-input', 'The text cannot be empty.', key);
	const problem = validators[key](trimmed);
	if (problem) throw new DomainError('invalid-input', problem, key);
	await Setting.upsert({ key, value: trimmed });
	cache.delete(key);
}

/** Forgets cached values (tests, and a database switched under a running process). */
export function forgetSettings(): void {
	cache.clear();
}

export async function maxShiftMs(): Promise<number> {
	return Number(await getSetting('maxShiftHours')) * 3_600_000;
}

/** Drops the cache whenever any instance changes a setting; the TTL stays as the fallback if an event is lost. */
export function watchSettings(bus: EventBus): () => void {
	return bus.onEverywhere('settings-changed', () => forgetSettings());
}
