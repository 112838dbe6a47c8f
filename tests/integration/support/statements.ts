/**
 * Counts the SQL statements a piece of work runs (transaction BEGIN and
 * COMMIT included), and the round trips they took: a statement that rode in
 * the previous one's packet is logged as "same packet" (server/db/queries/direct-statements.ts).
 */
import { database } from '../../../server/db/database';

export async function countStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[]; roundTrips: number }> {
	const options = (database() as unknown as { options: { logging: false | ((sql: string) => void) } }).options;
	const previous = options.logging;
	const statements: string[] = [];
	options.logging = (sql) => statements.push(sql);
	try {
		const result = await work();
		return { result, statements, roundTrips: statements.filter((sql) => !/^Executing \([^)]*, same packet\)/.test(sql)).length };
	} finally {
		options.logging = previous;
	}
}
