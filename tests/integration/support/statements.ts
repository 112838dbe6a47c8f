/** Counts the SQL statements a piece of work runs (transaction BEGIN and COMMIT included). */
import { database } from '../../../server/db/database';

export async function countStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
	const options = (database() as unknown as { options: { logging: false | ((sql: string) => void) } }).options;
	const previous = options.logging;
	const statements: string[] = [];
	options.logging = (sql) => statements.push(sql);
	try {
		return { result: await work(), statements };
	} finally {
		options.logging = previous;
	}
}
