/**
 * One export in a process of its own, so its peak RSS is its own: writes the
 * export to a file and prints {rows, ms, peakRssMb, baseRssMb} as JSON.
 * Usage: tsx bench/export-run.ts <kind> <format> <from> <to> <out> (DATA_DIR set).
 */
import { createWriteStream } from 'node:fs';
import { closeDatabase, prepareDatabase } from '../server/db/database';
import { writeExport } from '../server/domain/exports/exports';
import type { ExportFormat, ExportKind } from '../src/lib/contracts/reports';

const [kind, format, from, to, out] = process.argv.slice(2) as [ExportKind, ExportFormat, string, string, string];
await prepareDatabase();
const baseRssMb = process.resourceUsage().maxRSS / 1024;
const started = performance.now();
const rows = await writeExport({ kind, format, from, to }, createWriteStream(out));
const ms = performance.now() - started;
await closeDatabase();
console.log(JSON.stringify({ rows, ms, peakRssMb: process.resourceUsage().maxRSS / 1024, baseRssMb }));
