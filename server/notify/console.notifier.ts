/** The development channel: messages go to the server console as plain lines a person can read. */
import type { ContactInput } from '../domain/identity/contacts';

export function printLoginCode(contact: ContactInput, code: string): void {
	process.stdout.write(`[dev login] Code for ${contact.value}: ${code}\n`);
}
