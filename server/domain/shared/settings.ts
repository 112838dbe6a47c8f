/**
 * Settings an admin can change at run time, each with its default and its
 * rule. Reads go through a short-lived cache (a sign-in must not cost a
 * settings query). A change drops the cache on every instance at once: it is
 * announced on the event bus as `settings-changed` (through Redis when
 * instances share one); the TTL is the fallback should that event be lost.
 * The time zone is not here: it stays BUILDING_TZ (docs/decisions.md, issue 10).
 */
import { z } from 'zod';
import { config } from '../../config';
import { transaction } from '../../db/database';
import { Setting } from '../../db/models/operations.model';
import { writeAdminAudit, type AdminActor } from './admin-audit';
import { DomainError } from './errors';
import { events as defaultBus, type EventBus } from './events';

const clockPattern = /^([01]\d|2[0-3]):[0-5]\d$/;
const clockTime = (what: string) => z.string().trim().regex(clockPattern, `${what} must be a time such as 09:30 (24 hours).`);
const wholeNumber = (min: number, max: number, what: string) =>
	z.string().trim().regex(/^\d{1,4}$/, `${what} must be a whole number from ${min} to ${max}.`).refine((v) => Number(v) >= min && Number(v) <= max, `${what} must be a whole number from ${min} to ${max}.`);

/** Each setting's rule (zod, on the trimmed text) and default. */
const definitions = {
	buildingName: { schema: z.string().trim().min(1, 'The building name cannot be empty.').max(100, 'The building name must be at most 100 characters.'), fallback: () => config().buildingName },
	declaration: { schema: z.string().trim().min(1, 'The declaration text cannot be empty.').max(2000, 'The declaration text must be at most 2000 characters.'), fallback: () => 'I have no symptoms of an infectious illness, I have read the building risk assessment, and I will follow its guidance while I am here.' },
	/** When the scheduler sends the sign-out reminder, and the later one (building time). */
	reminderTime: { schema: clockTime('The reminder time'), fallback: () => '10:00' },
	reminderPmTime: { schema: clockTime('The afternoon reminder time'), fallback: () => '16:00' },
	/** The end of the building day: open records older than the maximum shift are then flagged "did not sign out". */
	dayEndTime: { schema: clockTime('The end of the day'), fallback: () => '23:30' },
	/** How long an open record may run and still be closed by a sign-out (crossing midnight included). */
	maxShiftHours: { schema: wholeNumber(1, 24, 'The maximum shift'), fallback: () => '16' },
	/** Days of sign-in records the retention job keeps. */
	retentionDays: { schema: wholeNumber(1, 3650, 'Retention'), fallback: () => '30' },
} satisfies Record<string, { schema: z.ZodType<string>; fallback: () => string }>;

export type SettingKey = keyof typeof definitions;
export const settingKeys = Object.keys(definitions) as SettingKey[];
export type SettingValues = Record<SettingKey, string>;

/** The form an admin posts: every setting, checked together (the afternoon reminder comes after the morning one). */
export const settingsInput = z
	.object({
		buildingName: z.string({ error: 'The building name is missing.' }).pipe(definitions.buildingName.schema),
		declaration: z.string({ error: 'The declaration text is missing.' }).pipe(definitions.declaration.schema),
		reminderTime: z.string({ error: 'The reminder time is missing.' }).pipe(definitions.reminderTime.schema),
		reminderPmTime: z.string({ error: 'The afternoon reminder time is missing.' }).pipe(definitions.reminderPmTime.schema),
		dayEndTime: z.string({ error: 'The end of the day is missing.' }).pipe(definitions.dayEndTime.schema),
		maxShiftHours: z.string({ error: 'The maximum shift is missing.' }).pipe(definitions.maxShiftHours.schema),
		retentionDays: z.string({ error: 'The retention period is missing.' }).pipe(definitions.retentionDays.schema),
	})
	// Compared only once both are times (zod runs this even when a field failed).
	.refine((s) => !clockPattern.test(s.reminderTime) || !clockPattern.test(s.reminderPmTime) || s.reminderPmTime > s.reminderTime, { message: 'The afternoon reminder must come after the first reminder.', path: ['reminderPmTime'] })
	.refine((s) => !clockPattern.test(s.reminderPmTime) || !clockPattern.test(s.dayEndTime) || s.dayEndTime > s.reminderPmTime, { message: 'The end of the day must come after the afternoon reminder.', path: ['dayEndTime'] });

const CACHE_MS = 30_000;
const cache = new Map<SettingKey, { value: string; until: number }>();

export async function getSetting(key: SettingKey, now = Date.now()): Promise<string> {
	const hit = cache.get(key);
	if (hit && hit.until > now) return hit.value;
	const row = await Setting.findByPk(key);
	const value = row?.value ?? definitions[key].fallback();
	cache.set(key, { value, until: now + CACHE_MS });
	return value;
}

/** Every setting, in one statement (for the settings page). */
export async function getSettings(): Promise<SettingValues> {
	const rows = await Setting.findAll({ where: { key: settingKeys } });
	const stored = new Map(rows.map((r) => [r.key, r.value]));
	return Object.fromEntries(settingKeys.map((key) => [key, stored.get(key) ?? definitions[key].fallback()])) as SettingValues;
}

function checked(key: SettingKey, value: string): string {
	const parsed = definitions[key].schema.safeParse(value);
	if (!parsed.success) throw new DomainError('invalid-input', parsed.error.issues[0]!.message, key);
	return parsed.data;
}

/**
 * An admin's change: every changed setting saved with an audit record of
 * who changed it from what to what, in one transaction; then every instance
 * is told. Nothing is saved when any value is refused.
 */
export async function updateSettings(actor: AdminActor, input: Partial<SettingValues>, bus: EventBus = defaultBus): Promise<SettingKey[]> {
	const wanted = Object.entries(input).filter(([key]) => key in definitions) as [SettingKey, string][];
	const values = wanted.map(([key, value]) => [key, checked(key, value)] as const);
	const before = await getSettings();
	const changed = values.filter(([key, value]) => before[key] !== value);
	if (changed.length === 0) return [];
	await transaction(async (t) => {
		for (const [key, value] of changed) {
			await Setting.upsert({ key, value }, { transaction: t });
			await writeAdminAudit(actor, 'setting-changed', null, { setting: key, from: before[key], to: value }, t);
		}
	});
	const keys = changed.map(([key]) => key);
	forgetSettings();
	await bus.emit('settings-changed', { keys });
	return keys;
}

/** A setting changed by the system itself (tests, the CLI): checked and announced, not audited. */
export async function setSetting(key: SettingKey, value: string, bus: EventBus = defaultBus): Promise<void> {
	await Setting.upsert({ key, value: checked(key, value) });
	forgetSettings();
	await bus.emit('settings-changed', { keys: [key] });
}

/** Forgets cached values (a change anywhere, tests, a database switched under a running process). */
export function forgetSettings(): void {
	cache.clear();
}

/** Drops the cache whenever any instance changes a setting; the TTL stays as the fallback if an event is lost. */
export function watchSettings(bus: EventBus): () => void {
	return bus.onEverywhere('settings-changed', () => forgetSettings());
}

export async function maxShiftMs(): Promise<number> {
	return Number(await getSetting('maxShiftHours')) * 3_600_000;
}
