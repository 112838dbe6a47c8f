/**
 * The stats and visits exports (the original's `stats` and `visits`
 * commands), as CSV or XLSX, streamed: rows are read from the database a
 * page at a time (keyset pagination) and written into the output as they
 * come, waiting whenever the output is full, so memory stays flat however
 * many years of records the range covers. The web download and the CLI
 * write the same files through `writeExport`.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify as stringifyRows } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { database } from '../../db/database';
import { statsPage, visitsPage } from '../../db/queries/export-rows.query';
import { localDateTimeIn } from '../../../src/lib/contracts/building-time';
import type { ExportFormat, ExportKind } from '../../../src/lib/contracts/reports';
import { config } from '../../config';

export const DEFAULT_PAGE_SIZE = 2000;

/** The reference's columns, in its order. */
export const exportColumns: Record<ExportKind, readonly string[]> = {
	stats: ['date', 'distinct_users', 'not_signed_out'],
	visits: ['user', 'date', 'first_sign_in', 'last_sign_out'],
};

export interface ExportRequest {
	kind: ExportKind;
	format: ExportFormat;
	from: string;
	to: string;
}

export type Cell = string | number;

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** The export's rows, one page of the database at a time. */
export async function* exportRows(kind: ExportKind, from: string, to: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<Cell[][]> {
	const sql = database();
	const zone = config().buildingTz;
	const local = (at: Date) => localDateTimeIn(zone, at).replace('T', ' ');
	if (kind === 'stats') {
		for (let after = dayBefore(from); ; ) {
			const page = await statsPage(sql, after, to, pageSize);
			if (page.length) yield page.map((r) => [r.date, r.distinctUsers, r.notSignedOut]);
			if (page.length < pageSize) return;
			after = page.at(-1)!.date;
		}
	}
	for (let after = { date: from, userId: 0 }; ; ) {
		const page = await visitsPage(sql, after, to, pageSize);
		if (page.length) yield page.map((r) => [r.username, r.date, local(r.firstIn), r.lastOut ? local(r.lastOut) : '']);
		if (page.length < pageSize) return;
		const last = page.at(-1)!;
		after = { date: last.date, userId: last.userId };
	}
}

export const exportFileName = (r: Omit<ExportRequest, 'format'> & { format: ExportFormat }) => `${r.kind}-${r.from}-to-${r.to}.${r.format}`;
export const exportContentType: Record<ExportFormat, string> = {
	csv: 'text/csv; charset=utf-8',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Waits until `out` has room again: what keeps a slow download from filling memory. */
async function roomIn(out: Writable): Promise<void> {
	if (out.writableNeedDrain) await once(out, 'drain');
}

export async function writeCsv(rows: AsyncIterable<Cell[][]>, columns: readonly string[], out: Writable, progress: (n: number) => void = () => {}): Promise<number> {
	// One string per page (csv-stringify's sync API): a row at a time through its object stream cost an await per 16 rows.
	out.write(stringifyRows([[...columns]]));
	let count = 0;
	for await (const page of rows) {
		out.write(stringifyRows(page));
		count += page.length;
		progress(count);
		await roomIn(out);
	}
	out.end();
	await finished(out);
	return count;
}

async function writeXlsx(rows: AsyncIterable<Cell[][]>, kind: ExportKind, columns: readonly string[], out: Writable, progress: (n: number) => void): Promise<number> {
	// No shared strings or styles: those tables would grow with the rows and be held until the end.
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
	const sheet = workbook.addWorksheet(kind);
	sheet.columns = columns.map((c) => ({ header: c, key: c, width: c === 'user' ? 28 : 20 }));
	let count = 0;
	for await (const page of rows) {
		for (const row of page) sheet.addRow(row).commit();
		count += page.length;
		progress(count);
		await roomIn(out);
	}
	sheet.commit();
	await workbook.commit();
	return count;
}

/** Writes the export into `out` (which it ends) and answers the number of rows written. */
export async function writeExport(request: ExportRequest, out: Writable, options: { pageSize?: number; progress?: (rows: number) => void } = {}): Promise<number> {
	const rows = exportRows(request.kind, request.from, request.to, options.pageSize);
	const progress = options.progress ?? (() => {});
	const columns = exportColumns[request.kind];
	return request.format === 'csv' ? writeCsv(rows, columns, out, progress) : writeXlsx(rows, request.kind, columns, out, progress);
}

export interface Sheet {
	name: string;
	columns: readonly string[];
	/** Called when the sheet's turn comes, so a later sheet can depend on what an earlier one read. */
	rows: () => AsyncIterable<Cell[][]>;
}

/** Several sheets in one streamed workbook (the CLI's visits with its summary); answers the rows written. */
export async function writeWorkbook(sheets: readonly Sheet[], out: Writable, progress: (n: number) => void = () => {}): Promise<number> {
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
	let count = 0;
	for (const { name, columns, rows } of sheets) {
		const sheet = workbook.addWorksheet(name);
		sheet.columns = columns.map((c) => ({ header: c, key: c, width: c === 'user' ? 28 : 20 }));
		for await (const page of rows()) {
			for (const row of page) sheet.addRow(row).commit();
			count += page.length;
			progress(count);
			await roomIn(out);
		}
		sheet.commit();
	}
	await workbook.commit();
	return count;
}
