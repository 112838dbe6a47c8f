/**
 * `send-reminders` and `clean-old-records`: the scheduled jobs by hand, as the
 * original ran them: `send-reminders` only lists unless `--send`;
 * `clean-old-records` deletes (scripts rely on it), and `--dry-run` shows
 * what it would delete.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { prepareDatabase } from '../db/database';
import { reminderRecipients, reminderTemplates, sendReminders, type ReminderTemplate } from '../domain/notifications/reminders';
import { cleanOldRecords, retentionPreview } from '../domain/retention/clean-old-records';
import { localDate, now } from '../domain/shared/clock';
import { getSetting } from '../domain/shared/settings';
import { progressBar, textTable } from './output';

const days = (value: string): number => {
	if (!/^\d{1,4}$/.test(value.trim()) || Number(value) < 1 || Number(value) > 3650) throw new InvalidArgumentError('Days must be a whole number from 1 to 3650.');
	return Number(value);
};

export function addJobCommands(program: Command): void {
	program
		.command('send-reminders')
		.description('remind everyone with an open record today to sign out (lists who would get one unless --send)')
		.addOption(new Option('--template <name>', 'which message').choices(reminderTemplates).default('reminder'))
		.option('--send', 'send them (without it, nothing is sent)')
		.action(async (options: { template: ReminderTemplate; send?: boolean }) => {
			await prepareDatabase();
			if (!options.send) {
				const people = await reminderRecipients(localDate(now()));
				console.log(textTable(['name', 'username'], people.map((p) => [`${p.firstName} ${p.lastName}`, p.username])));
				console.log(`${people.length} ${people.length === 1 ? 'person' : 'people'} would get the ${options.template} message. Add --send to send it.`);
				return;
			}
			let bar: ReturnType<typeof progressBar> | undefined;
			const outcome = await sendReminders({
				template: options.template,
				progress: (done, total) => {
					bar ??= progressBar(total, 'Sending');
					bar.update(done);
				},
			});
			bar?.stop();
			const names = new Map(outcome.recipients.map((p) => [p.userId, `${p.firstName} ${p.lastName}`]));
			console.log(textTable(['name', 'channel', 'address', 'status', 'error'], outcome.deliveries.map((d) => [names.get(d.userId) ?? String(d.userId), d.channel, d.address, d.ok ? 'sent' : 'failed', d.error ?? ''])));
			const failed = outcome.deliveries.filter((d) => !d.ok).length;
			console.log(`Sent ${outcome.deliveries.length - failed} of ${outcome.deliveries.length} messages to ${outcome.recipients.length} people${failed ? `; ${failed} failed` : ''}.`);
		});

	program
		.command('clean-old-records')
		.description('delete sign-in records older than N days, then people left with none (admins and marshals kept), then unused audit records; daily counts are kept. --dry-run shows what would go')
		.option('--days <n>', 'keep this many days (default: the retention setting, 30 unless changed)', days)
		.option('--dry-run', 'show what would be deleted, and delete nothing')
		.action(async (options: { days?: number; dryRun?: boolean }) => {
			await prepareDatabase();
			const keep = options.days ?? Number(await getSetting('retentionDays'));
			const deleting = !options.dryRun;
			const counts = deleting ? await cleanOldRecords(keep) : await retentionPreview(keep);
			console.log(
				textTable(
					['', deleting ? 'deleted' : 'would delete'],
					[
						['sign-in records', counts.records],
						['dates (counts kept)', counts.dates],
						['people', counts.users],
						['audit records', counts.audits],
					],
				),
			);
			console.log(deleting ? `Kept everything from ${counts.keptFrom} on.` : `Records before ${counts.keptFrom} would go. Run it without --dry-run to delete them.`);
		});
}
