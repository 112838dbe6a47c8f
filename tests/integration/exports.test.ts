import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { recordAttendance } from '../../server/domain/attendance/attendance';
import { writeExport, type ExportRequest } from '../../server/domain/exports/exports';
import { exportQuery } from '../../src/lib/contracts/reports';
import { parseCsv } from '../support/parse-csv';
import { useTestDatabase } from './support/database';
import { gmt, newUser, webAudit } from './support/factories';
import { countStatements } from './support/statements';

const db = await useTestDatabase();

const act = (userId: number, kind: 'sign-in' | 'sign-out', at: string) => recordAttendance({ userId, kind, audit: webAudit, at: gmt(at) });

async function exported(request: ExportRequest, pageSize?: number): Promise<{ bytes: Buffer; rows: number }> {
	const out = new PassThrough();
	const chunks: Buffer[] = [];
	out.on('data', (c: Buffer) => chunks.push(c));
	const rows = await writeExport(request, out, { pageSize });
	return { bytes: Buffer.concat(chunks), rows };
}

async function parseXlsx(bytes: Buffer): Promise<string[][]> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
	const rows: string[][] = [];
	const sheet = workbook.worksheets[0]!;
	sheet.eachRow((row) => rows.push(Array.from({ length: sheet.columnCount }, (_, i) => String(row.getCell(i + 1).value ?? ''))));
	return rows;
}

db.describe(`exports (${db.dialect})`, () => {
	// In February London is on UTC: building time reads as UTC.
	it('writes visits and stats with the reference columns, as CSV and as XLSX that read back the same', async () => {
		const ann = await newUser({ firstName: 'Ann', lastName: 'Export' });
		const ben = await newUser({ firstName: 'Ben', lastName: 'Export' });
		await act(ann.id, 'sign-in', '2026-02-02T08:00:00');
		await act(ann.id, 'sign-out', '2026-02-02T12:00:00');
		await act(ann.id, 'sign-in', '2026-02-02T13:00:00');
		await act(ann.id, 'sign-out', '2026-02-02T17:30:00');
		await act(ben.id, 'sign-in', '2026-02-02T09:00:00');
		await act(ben.id, 'sign-out', '2026-02-02T10:00:00');
		await act(ben.id, 'sign-in', '2026-02-02T11:00:00'); // still open: no last sign-out
		await act(ben.id, 'sign-in', '2026-02-03T09:15:00');
		await act(ann.id, 'sign-in', '2026-02-05T09:00:00'); // outside the range

		const visits = [
			['user', 'date', 'first_sign_in', 'last_sign_out'],
			[ann.username, '2026-02-02', '2026-02-02 08:00', '2026-02-02 17:30'],
			[ben.username, '2026-02-02', '2026-02-02 09:00', ''],
			[ben.username, '2026-02-03', '2026-02-03 09:15', ''],
		].sort((a, b) => (a[0] === 'user' ? -1 : b[0] === 'user' ? 1 : a[1]!.localeCompare(b[1]!) || (a[0] === ann.username ? -1 : 1)));
		const range = { from: '2026-02-01', to: '2026-02-04' };
		const csv = await exported({ kind: 'visits', format: 'csv', ...range });
		expect(csv.rows).toBe(3);
		expect(parseCsv(csv.bytes.toString('utf8'))).toEqual(visits);
		expect(await parseXlsx((await exported({ kind: 'visits', format: 'xlsx', ...range })).bytes)).toEqual(visits);

		const stats = [['date', 'distinct_users', 'not_signed_out'], ['2026-02-02', '2', '1'], ['2026-02-03', '1', '1']];
		expect(parseCsv((await exported({ kind: 'stats', format: 'csv', ...range })).bytes.toString('utf8'))).toEqual(stats);
		expect(await parseXlsx((await exported({ kind: 'stats', format: 'xlsx', ...range })).bytes)).toEqual(stats);
	});

	it('reads the rows a page at a time by key, never all at once', async () => {
		const people = await Promise.all(Array.from({ length: 7 }, () => newUser()));
		for (const p of people) await act(p.id, 'sign-in', '2026-03-10T09:00:00');
		const { result, statements } = await countStatements(() => exported({ kind: 'visits', format: 'csv', from: '2026-03-10', to: '2026-03-10' }, 3));
		expect(result.rows).toBe(7);
		const pages = statements.filter((s) => /FROM sign_in_records/.test(s));
		// 3 + 3 + 1: three pages of at most three rows, each asking after the last key of the one before.
		expect(pages).toHaveLength(3);
		expect(pages.every((s) => /LIMIT 3\b/.test(s) && !/OFFSET/i.test(s))).toBe(true);
		expect(parseCsv(result.bytes.toString('utf8')).slice(1).map((r) => r[0])).toEqual(people.map((p) => p.username).sort((a, b) => people.find((p) => p.username === a)!.id - people.find((p) => p.username === b)!.id));
	});

	it('refuses bad ranges with a clear message', () => {
		const message = (q: Record<string, string>) => {
			const parsed = exportQuery.safeParse({ kind: 'visits', format: 'csv', ...q });
			return parsed.success ? 'accepted' : parsed.error.issues[0]!.message;
		};
		expect(message({ from: '2026-02-10', to: '2026-02-01' })).toBe('The first date must not be after the last date.');
		expect(message({ from: '2026-02-30', to: '2026-03-01' })).toBe('The first date must be a date written YYYY-MM-DD.');
		expect(message({ from: '2020-01-01', to: '2026-01-01' })).toBe('Choose at most 1098 days.');
		expect(message({ from: '2026-01-01', to: '2026-01-02', format: 'pdf' })).toBe('The format is csv or xlsx.');
	});
});
