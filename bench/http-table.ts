/** The HTTP benchmark's table: one per database, the database's own limit beside each write path. */
import type { Figures } from './http-load';

export interface Row {
	path: string;
	conns: string;
	figures: Figures;
	/** A write path: show the limit, and with 'ratio' also app ÷ limit. */
	write?: 'limit' | 'ratio';
}

const columns = ['path', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'timeouts', 'silent conns', 'limit/s', 'ratio'];

const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function cells(row: Row, limit: number | undefined): string[] {
	const f = row.figures;
	// autocannon's latencies are of 2xx answers only.
	const answered = f.reqPerSec > 0 || f.p99 > 0;
	const showLimit = row.write && limit !== undefined;
	return [
		row.path,
		row.conns,
		fixed(f.reqPerSec, f.reqPerSec > 0 && f.reqPerSec < 10 ? 1 : 0),
		answered ? fixed(f.p50, 1) : '-',
		answered ? fixed(f.p99, 1) : '-',
		String(f.non2xx),
		String(f.errors),
		String(f.timeouts),
		String(f.silent),
		showLimit ? fixed(limit) : '',
		showLimit && row.write === 'ratio' && limit > 0 ? fixed(f.reqPerSec / limit, 2) : '',
	].map((cell, i) => (i === 0 && f.note ? `${cell} [${f.note}]` : cell));
}

export function printTable(title: string, rows: readonly Row[], limit: number | undefined, notes: readonly string[]): void {
	const table = [columns, ...rows.map((row) => cells(row, limit))];
	const widths = columns.map((_, i) => Math.max(...table.map((line) => line[i]!.length)));
	const line = (values: string[]) => values.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join(' | ');
	console.log(`\n${title}`);
	console.log(line(table[0]!));
	console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
	for (const values of table.slice(1)) console.log(line(values));
	for (const note of notes) console.log(`  ${note}`);
}
