/**
 * The command-line tool: `npm run register -- <command>`.
 * Each command parses its options, calls the domain, prints a short result.
 */
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config';
import { closeDatabase, DatabaseUnavailableError, migrator, prepareDatabase } from '../db/database';
import { createOrPromoteAdmin } from '../domain/people/admins';
import { DomainError } from '../domain/shared/errors';
import { ContactDetail } from '../db/models/people.model';
import { parseEmail } from '../domain/identity/contacts';
import { badgePath, issueBadge } from '../domain/kiosk/badges';
import { createKiosk } from '../domain/kiosk/kiosks';
import { createLocation, locationBySlug } from '../domain/kiosk/locations';
import { locationInput } from '../../src/lib/contracts/kiosk';
import { addExportCommand } from './export-command';
import { addJobCommands } from './job-commands';
import { addReportCommands } from './report-commands';

const program = new Command('register')
	.description('Building Register command-line tool')
	.showHelpAfterError()
	.exitOverride((error) => process.exit(error.exitCode));

program
	.command('migrate')
	.description('apply every pending database migration')
	.action(async () => {
		const applied = await prepareDatabase();
		console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
	});

program
	.command('migrate-down')
	.description('revert the most recent migration (development only)')
	.action(async () => {
		await prepareDatabase();
		const reverted = await migrator().down();
		console.log(reverted.length ? `Reverted ${reverted.map((m) => m.name).join(', ')}` : 'Nothing to revert.');
	});

const nonEmpty = (label: string) => (value: string) => {
	if (!value.trim()) throw new InvalidArgumentError(`${label} cannot be empty.`);
	return value;
};

program
	.command('create-admin')
	.description('create an admin (or promote the person who owns the email); they log in with that email')
	.requiredOption('--email <email>', 'email address the admin logs in with')
	.requiredOption('--first <name>', 'first name', nonEmpty('First name'))
	.requiredOption('--last <name>', 'last name', nonEmpty('Last name'))
	.action(async (options: { email: string; first: string; last: string }) => {
		await prepareDatabase();
		const { user, created } = await createOrPromoteAdmin({
			email: options.email,
			firstName: options.first,
			lastName: options.last,
		});
		console.log(`${created ? 'Created' : 'Promoted'} admin ${user.firstName} ${user.lastName} (${user.username}).`);
	});

program
	.command('create-location')
	.description('add a place people sign in at (e.g. "Bike entrance", slug bike-entrance)')
	.requiredOption('--name <name>', 'name shown to people', nonEmpty('Name'))
	.requiredOption('--slug <slug>', 'short name in the poster URL /e/<slug>')
	.option('--requires-presence', "phones there must scan the kiosk's presence code")
	.action(async (options: { name: string; slug: string; requiresPresence?: boolean }) => {
		const parsed = locationInput.safeParse({ name: options.name, slug: options.slug, requiresPresence: options.requiresPresence ?? false });
		if (!parsed.success) throw new DomainError('invalid-input', parsed.error.issues[0]!.message);
		await prepareDatabase();
		const location = await createLocation(parsed.data);
		console.log(`Created location ${location.name} (/e/${location.slug}).`);
	});

program
	.command('create-kiosk')
	.description('add a reception kiosk and print its one-time pairing code (valid 10 minutes)')
	.requiredOption('--name <name>', 'name of the kiosk', nonEmpty('Name'))
	.option('--location <slug>', 'the location the kiosk stands at')
	.action(async (options: { name: string; location?: string }) => {
		await prepareDatabase();
		const location = options.location ? await locationBySlug(options.location) : null;
		if (options.location && !location) throw new DomainError('not-found', `No location with the slug "${options.location}".`);
		const { kiosk, pairing } = await createKiosk({ name: options.name.trim().slice(0, 100), locationId: location?.id ?? null });
		console.log(`Created kiosk ${kiosk.name} (id ${kiosk.id}).`);
		console.log(`Pairing code: ${pairing.code}`);
	});

program
	.command('issue-badge')
	.description("issue a new badge to the person who logs in with this email (their old badge stops working) and print its path")
	.requiredOption('--email <email>', "the person's email address")
	.action(async (options: { email: string }) => {
		await prepareDatabase();
		const contact = await ContactDetail.findOne({ where: { ...parseEmail(options.email) } });
		if (!contact?.userId) throw new DomainError('not-found', `No person logs in with ${options.email}.`);
		const badge = await issueBadge(contact.userId);
		console.log(`Badge: ${badgePath(badge.secret)}`);
	});

addExportCommand(program);
addJobCommands(program);
addReportCommands(program);

async function main(): Promise<void> {
	try {
		await program.parseAsync(process.argv);
	} catch (error) {
		if (error instanceof DomainError || error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
			console.error(`Error: ${error.message}`);
			process.exitCode = 1;
		} else {
			throw error;
		}
	} finally {
		await closeDatabase();
	}
}

await main();
