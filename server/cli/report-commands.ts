/**
 * `stats [OUT]` and `visits [OUT] [--summary]`, the original's commands: a
 * table on stdout, or a CSV or XLSX file chosen by OUT's extension, written
 * by the same streaming writers as the admin download.
 */
import type { Writable } from 'node:stream';
import { QueryTypes } from 'sequelize';
import type { Command } from 'commander';
import { database, prepareDatabase } from '../db/database';
import { exportColumns, exportRows, writeCsv, writeExport, writeWorkbook, type Cell } from '../domain/exports/exports';
import { isCalendarDate, localDate, now } from '../domain/shared/clock';
import { DomainError } from '../domain/shared/errors';
import { formatOf, progressBar, textTable, writeFileWhole, type OutputFormat } from './output';

interface RangeOptions {
	from?: string;
	to?: string;
}

const summaryColumns = ['user', 'days_signed_in', 'days_not_signed_out', 'pct'] as const;

/** The range asked for, or everything the database holds up to today. */
async function rangeOf(options: RangeOptions): Promise<{ from: string; to: string }> {
	for (const [name, value] of [['--from', options.from], ['--to', options.to]] as const) {
		if (value !== undefined && !isCalendarDate(value)) throw new DomainError('invalid-input', `${name} must be a date written YYYY-MM-DD.`);
	}
	const to = options.to ?? localDate(now());
	let from = options.from;
	if (!from) {
		const [row] = await database().query<{ first: string | Date | null }>(
			'SELECT MIN(first) AS first FROM (SELECT MIN(date) AS first FROM sign_in_records UNION ALL SELECT MIN(date) AS first FROM daily_counts) firsts',
			{ type: QueryTypes.SELECT },
		);
		const first = row?.first;
		from = first ? (first instanceof Date ? first.toISOString() : String(first)).slice(0, 10) : to;
	}
	if (from > to) throw new DomainError('invalid-input', '--from must not be after --to.');
	return { from, to };
}

/** How many rows an export will have, for the progress bar (asked only on a terminal). */
async function rowCount(kind: 'stats' | 'visits', from: string, to: string): Promise<number> {
	if (!process.stderr.isTTY) return 0;
	const sql =
		kind === 'stats'
			? 'SELECT COUNT(DISTINCT date) AS n FROM sign_in_records WHERE date BETWEEN :from AND :to'
			: 'SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM sign_in_records WHERE date BETWEEN :from AND :to GROUP BY date, user_id) g';
	const [row] = await database().query<{ n: number | string }>(sql, { replacements: { from, to }, type: QueryTypes.SELECT });
	return Number(row?.n ?? 0);
}

/** Per person: the days they signed in, the days whose last visit they left open, and that as a percentage. */
class VisitSummary {
	private readonly people = new Map<string, { days: number; open: number }>();

	/** Passes the visits through, counting them. */
	async *count(pages: AsyncIterable<Cell[][]>): AsyncGenerator<Cell[][]> {
		for await (const page of pages) {
			for (const [user, , , lastOut] of page) {
				const person = this.people.get(String(user)) ?? { days: 0, open: 0 };
				person.days += 1;
				if (lastOut === '') person.open += 1;
				this.people.set(String(user), person);
			}
			yield page;
		}
	}

	rows(): Cell[][] {
		return [...this.people.entries()]
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([user, { days, open }]) => [user, days, open, Math.round((1000 * open) / days) / 10]);
	}
}

async function* once(rows: Cell[][]): AsyncGenerator<Cell[][]> {
	yield rows;
}

async function collect(pages: AsyncIterable<Cell[][]>): Promise<Cell[][]> {
	const all: Cell[][] = [];
	for await (const page of pages) all.push(...page);
	return all;
}

const summaryFile = (out: string) => out.replace(/\.csv$/i, '-summary.csv');

async function writeVisits(out: string, format: OutputFormat, from: string, to: string, summary: boolean): Promise<number> {
	const bar = progressBar(await rowCount('visits', from, to), 'Visits');
	const tally = new VisitSummary();
	try {
		if (format === 'xlsx') {
			return await writeFileWhole(out, (stream: Writable) =>
				writeWorkbook(
					[
						{ name: 'visits', columns: exportColumns.visits, rows: () => tally.count(exportRows('visits', from, to)) },
						...(summary ? [{ name: 'summary', columns: summaryColumns, rows: () => once(tally.rows()) }] : []),
					],
					stream,
					bar.update,
				),
			);
		}
		const rows = await writeFileWhole(out, (stream) => writeCsv(tally.count(exportRows('visits', from, to)), exportColumns.visits, stream, bar.update));
		if (summary) await writeFileWhole(summaryFile(out), (stream) => writeCsv(once(tally.rows()), summaryColumns, stream));
		return rows;
	} finally {
		bar.stop();
	}
}

export function addReportCommands(program: Command): void {
	program
		.command('stats')
		.description('per date: date, distinct_users, not_signed_out (a table, or OUT as .csv or .xlsx)')
		.argument('[out]', 'a .csv or .xlsx file to write instead of the table')
		.option('--from <date>', 'first date, YYYY-MM-DD (default: the first on record)')
		.option('--to <date>', 'last date, YYYY-MM-DD (default: today)')
		.action(async (out: string | undefined, options: RangeOptions) => {
			const format = out ? formatOf(out) : undefined;
			await prepareDatabase();
			const { from, to } = await rangeOf(options);
			if (!out || !format) {
				console.log(textTable(exportColumns.stats, await collect(exportRows('stats', from, to))));
				return;
			}
			const bar = progressBar(await rowCount('stats', from, to), 'Stats');
			const rows = await writeFileWhole(out, (stream) => writeExport({ kind: 'stats', format, from, to }, stream, { progress: bar.update })).finally(() => bar.stop());
			console.log(`Wrote ${rows} rows to ${out}.`);
		});

	program
		.command('visits')
		.description('per person and date: user, date, first_sign_in, last_sign_out (a table, or OUT as .csv or .xlsx)')
		.argument('[out]', 'a .csv or .xlsx file to write instead of the table')
		.option('--summary', 'also per person: user, days_signed_in, days_not_signed_out, pct (a second table; a second sheet in .xlsx; OUT-summary.csv beside a .csv)')
		.option('--from <date>', 'first date, YYYY-MM-DD (default: the first on record)')
		.option('--to <date>', 'last date, YYYY-MM-DD (default: today)')
		.action(async (out: string | undefined, options: RangeOptions & { summary?: boolean }) => {
			const format = out ? formatOf(out) : undefined;
			await prepareDatabase();
			const { from, to } = await rangeOf(options);
			if (!out || !format) {
				const tally = new VisitSummary();
				console.log(textTable(exportColumns.visits, await collect(tally.count(exportRows('visits', from, to)))));
				if (options.summary) console.log(textTable(summaryColumns, tally.rows()));
				return;
			}
			const rows = await writeVisits(out, format, from, to, options.summary ?? false);
			console.log(`Wrote ${rows} rows to ${out}${options.summary && format === 'csv' ? ` and the summary to ${summaryFile(out)}` : ''}.`);
		});
}
