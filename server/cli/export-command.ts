/** `register export visits|stats --from --to --format csv|xlsx --out file`: the same files as the admin download. */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { prepareDatabase } from '../db/database';
import { writeExport } from '../domain/exports/exports';
import { DomainError } from '../domain/shared/errors';
import { exportQuery } from '../../src/lib/contracts/reports';

/** A counter on a terminal (one line, rewritten); a line every 50,000 rows in a log. */
function progressTo(stream: NodeJS.WriteStream): { update: (rows: number) => void; done: (rows: number) => void } {
	let lastLogged = 0;
	return {
		update(rows) {
			if (stream.isTTY) stream.write(`\rExporting: ${rows.toLocaleString('en-GB')} rows`);
			else if (rows - lastLogged >= 50_000) (lastLogged = rows), stream.write(`Exported ${rows} rows so far\n`);
		},
		done(rows) {
			if (stream.isTTY) stream.write('\r\x1b[K');
			stream.write(`Exported ${rows.toLocaleString('en-GB')} rows.\n`);
		},
	};
}

export function addExportCommand(program: Command): void {
	program
		.command('export')
		.description('write the stats (per date) or visits (per person and date) export as a CSV or XLSX file')
		.argument('<kind>', 'stats or visits')
		.requiredOption('--from <date>', 'first date, YYYY-MM-DD')
		.requiredOption('--to <date>', 'last date, YYYY-MM-DD')
		.option('--format <format>', 'csv or xlsx (default: from the --out file name)')
		.requiredOption('--out <file>', 'the file to write')
		.action(async (kind: string, options: { from: string; to: string; format?: string; out: string }) => {
			const format = options.format ?? path.extname(options.out).slice(1).toLowerCase();
			const parsed = exportQuery.safeParse({ kind, format, from: options.from, to: options.to });
			if (!parsed.success) throw new DomainError('invalid-input', parsed.error.issues[0]!.message);
			await prepareDatabase();
			// Written aside and renamed at the end: a failed export never leaves a file that looks whole.
			const partial = `${options.out}.part`;
			const progress = progressTo(process.stderr);
			try {
				const rows = await writeExport(parsed.data, createWriteStream(partial), { progress: progress.update });
				await rename(partial, options.out);
				progress.done(rows);
				console.log(`Wrote ${options.out}`);
			} catch (error) {
				await rm(partial, { force: true });
				throw error;
			}
		});
}
