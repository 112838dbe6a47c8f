/** How the CLI shows its work: plain text tables on stdout, a progress bar on a terminal's stderr, files by extension. */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import cliProgress from 'cli-progress';
import Table from 'cli-table3';
import { DomainError } from '../domain/shared/errors';

export type Cell = string | number;

/** A table as text, without colours (it is read by people and by scripts alike). */
export function textTable(head: readonly string[], rows: readonly Cell[][]): string {
	const table = new Table({ head: [...head], style: { head: [], border: [] } });
	for (const row of rows) table.push(row.map((c) => String(c)));
	return table.toString();
}

export type OutputFormat = 'csv' | 'xlsx';

/** The file format named by OUT's extension; anything else is refused before any work. */
export function formatOf(out: string): OutputFormat {
	const ext = path.extname(out).slice(1).toLowerCase();
	if (ext === 'csv' || ext === 'xlsx') return ext;
	throw new DomainError('invalid-input', `${out}: the output file must end in .csv or .xlsx.`);
}

/** Writes a file aside and renames it when whole: a failed run never leaves a file that looks complete. */
export async function writeFileWhole(out: string, write: (stream: Writable) => Promise<number>): Promise<number> {
	const partial = `${out}.part`;
	try {
		const rows = await write(createWriteStream(partial));
		await rename(partial, out);
		return rows;
	} catch (error) {
		await rm(partial, { force: true });
		throw error;
	}
}

export interface Progress {
	update(done: number): void;
	stop(): void;
}

/** A bar on stderr when it is a terminal (never in a log or a pipe, where it would be noise). */
export function progressBar(total: number, label: string): Progress {
	if (!process.stderr.isTTY || total <= 0) return { update: () => {}, stop: () => {} };
	const bar = new cliProgress.SingleBar(
		{ stream: process.stderr, format: `${label} [{bar}] {value}/{total}`, hideCursor: true, clearOnComplete: true },
		cliProgress.Presets.shades_classic,
	);
	bar.start(total, 0);
	return { update: (done) => bar.update(Math.min(done, total)), stop: () => bar.stop() };
}
