/** The scheduled jobs (DESIGN §6): what runs, at which setting's time (building time), doing what. */
import { flagUnclosedRecords } from '../domain/attendance/did-not-sign-out';
import { sendLeftNotices } from '../domain/notifications/left-notices';
import { sendReminders } from '../domain/notifications/reminders';
import { cleanOldRecords } from '../domain/retention/clean-old-records';
import { getSetting } from '../domain/shared/settings';
import type { Job } from './scheduler';

/** Retention runs in the quiet of the night, before anyone is in. */
export const RETENTION_TIME = '03:00';

export const jobs: readonly Job[] = [
	{
		name: 'clean-old-records',
		at: async () => RETENTION_TIME,
		run: async ({ now }) => cleanOldRecords(Number(await getSetting('retentionDays')), now),
	},
	{
		name: 'reminder',
		at: () => getSetting('reminderTime'),
		until: () => getSetting('reminderPmTime'),
		run: async ({ run, now }) => (await sendReminders({ template: 'reminder', jobRunId: run.id, now })).deliveries.length,
	},
	{
		// The morning after the end of the day: the "I left at…" links.
		name: 'did-not-sign-out-notices',
		at: () => getSetting('reminderTime'),
		run: async ({ run, now }) => (await sendLeftNotices(run.id, now)).length,
	},
	{
		name: 'reminder_pm',
		at: () => getSetting('reminderPmTime'),
		until: () => getSetting('dayEndTime'),
		run: async ({ run, now }) => (await sendReminders({ template: 'reminder_pm', jobRunId: run.id, now })).deliveries.length,
	},
	{
		name: 'did-not-sign-out',
		at: () => getSetting('dayEndTime'),
		run: async ({ now }) => flagUnclosedRecords(now),
	},
];
