/**
 * The command-line tool: `npm run register -- <command>`.
 * Each command parses its options, calls the domain, prints a short result.
 */
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config';
import { closeDatabase, DatabaseUnavailableError, migrator, prepareDatabase } from '../db/database';
import { createOrPromoteAdmin } from '../domain/people/admins';
import { DomainError } from '../domain/shared/errors';

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
