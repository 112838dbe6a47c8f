/** Settings an admin can change at run time, each with its default. */
import { Setting } from '../../db/models/operations.model';
import { DomainError } from './errors';

export const settingDefaults = {
	declaration:
		'I have no symptoms of an infectious illness, I have read the building risk assessment, and I will follow its guidance while I am here.',
} as const;

export type SettingKey = keyof typeof settingDefaults;

const limits: Record<SettingKey, number> = { declaration: 2000 };

export async function getSetting(key: SettingKey): Promise<string> {
	const row = await Setting.findByPk(key);
	return row?.value ?? settingDefaults[key];
}

export async function setSetting(key: SettingKey, value: string): Promise<void> {
	const trimmed = value.trim();
	if (!trimmed) throw new DomainError('invalid-input', 'The text cannot be empty.', key);
	if (trimmed.length > limits[key]) {
		throw new DomainError('invalid-input', `The text must be at most ${limits[key]} characters.`, key);
	}
	await Setting.upsert({ key, value: trimmed });
}
