/**
 * Sign-out reminders (the original's `send-reminders`): to everyone with an
 * open record today who has not turned reminders off, through every contact
 * detail they have logged in with. Each person's deliveries are kept; one
 * failure is logged and stored and the rest go on.
 */
import { QueryTypes } from 'sequelize';
import { database } from '../../db/database';
import { logger } from '../../logger';
import { deliverToPerson, type Delivery } from '../../notify/person-delivery';
import { localDate, now as clockNow } from '../shared/clock';
import { alreadyReached, siteUrl, storeDeliveries } from './deliveries';

export const reminderTemplates = ['reminder', 'reminder_pm'] as const;
export type ReminderTemplate = (typeof reminderTemplates)[number];

/** The original's texts, word for word. */
export function reminderText(template: ReminderTemplate, site = siteUrl()): string {
	return template === 'reminder'
		? `Thank you for signing-in today. Please remember to sign-out every time you leave the office by visiting ${site}`
		: `Hope you have had a good day today. Please remember to sign-out when you leave by visiting ${site}`;
}

export interface ReminderRecipient {
	userId: number;
	username: string;
	firstName: string;
	lastName: string;
}

/** People with an open record on `date` whose reminders are on (no settings row means on), by name. */
export async function reminderRecipients(date: string): Promise<ReminderRecipient[]> {
	const rows = await database().query<{ id: number | string; username: string; first_name: string; last_name: string }>(
		`SELECT u.id, u.username, u.first_name, u.last_name
		   FROM users u
		   LEFT JOIN user_settings s ON s.user_id = u.id
		  WHERE (s.reminders IS NULL OR s.reminders = :on)
		    AND EXISTS (SELECT 1 FROM sign_in_records r WHERE r.user_id = u.id AND r.date = :date AND r.sign_out_at IS NULL)
		  ORDER BY u.first_name, u.last_name, u.id`,
		{ replacements: { date, on: true }, type: QueryTypes.SELECT },
	);
	return rows.map((r) => ({ userId: Number(r.id), username: r.username, firstName: r.first_name, lastName: r.last_name }));
}

export interface ReminderRun {
	template: ReminderTemplate;
	/** The job run the deliveries belong to; null from the command line. */
	jobRunId?: number | null;
	now?: Date;
	/** Called after each person, for a progress bar. */
	progress?: (done: number, total: number) => void;
}

export interface ReminderOutcome {
	recipients: ReminderRecipient[];
	deliveries: Delivery[];
}

export async function sendReminders({ template, jobRunId = null, now = clockNow(), progress }: ReminderRun): Promise<ReminderOutcome> {
	const recipients = await reminderRecipients(localDate(now));
	const skip = jobRunId === null ? new Set<number>() : await alreadyReached(jobRunId);
	const message = { subject: 'Remember to sign out', text: reminderText(template) };
	const all: Delivery[] = [];
	let done = 0;
	for (const person of recipients) {
		if (!skip.has(person.userId)) {
			const deliveries = await deliverToPerson(person.userId, message, { loggedInOnly: true });
			for (const failed of deliveries.filter((d) => !d.ok)) {
				logger().warn({ userId: person.userId, template, channel: failed.channel, error: failed.error }, 'reminder not delivered');
			}
			await storeDeliveries(template, jobRunId, deliveries, clockNow());
			all.push(...deliveries);
		}
		progress?.(++done, recipients.length);
	}
	return { recipients, deliveries: all };
}
