/**
 * The command-line tool's job and report commands, run as child processes
 * (tsx server/cli/register.ts …, as `npm run register` runs it) against this file's database: dry
 * runs change nothing, files parse back with the right rows, `--help` works,
 * and bad input exits non-zero with a sentence and nothing changed.
 *
 * Every command runs at the same building time (libfaketime), so "today" and
 * "30 days ago" mean the same whenever the suite runs, midnight included.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DatabaseConfig } from '../../server/config';
import { SignInRecord } from '../../server/db/models/attendance.model';
import { DailyCount, Delivery } from '../../server/db/models/operations.model';
import { recordAttendance } from '../../server/domain/attendance/attendance';
import type { RunningTwilioFake } from '../fakes/twilio.fake';
import { fakeTime } from '../support/fake-time';
import { parseCsv } from '../support/parse-csv';
import { useTestDatabase } from './support/database';
import { gmt, webAudit } from './support/factories';
import { reachablePerson, SITE, useTwilio } from './support/notify';

const db = await useTestDatabase();
const execute = promisify(execFile);

let twilio: RunningTwilioFake;
const dir = mkdtempSync(path.join(tmpdir(), 'register-cli-'));
const file = (name: string) => path.join(dir, name);
/** The commands' clock: a Tuesday afternoon in March (London is still on UTC). */
const CLI_NOW = '2026-03-10T16:30:00';

const databaseUrl = (target: DatabaseConfig) => (target.dialect === 'sqlite' ? `sqlite:${target.storage}` : target.url);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	const env = {
		...process.env,
		DATABASE_URL: databaseUrl(db.target()),
		DATA_DIR: dir,
		SECRET_KEY: 'a-test-secret-key-of-at-least-32-characters',
		LOG_LEVEL: 'silent',
		BUILDING_TZ: 'Europe/London',
		ORIGIN: SITE,
		TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
		TWILIO_AUTH_TOKEN: 'twilio-secret',
		SMS_SENDER: 'SF-REG',
		TWILIO_API_URL: twilio.url,
		...fakeTime(`@${CLI_NOW.replace('T', ' ')}`),
	};
	try {
		const { stdout, stderr } = await execute('node_modules/.bin/tsx', ['server/cli/register.ts', ...args], { env, maxBuffer: 1 << 22 });
		return { code: 0, stdout, stderr };
	} catch (error) {
		const failed = error as { code?: number; stdout?: string; stderr?: string };
		return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
	}
}

async function xlsxSheets(name: string): Promise<Record<string, string[][]>> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.readFile(name);
	const sheets: Record<string, string[][]> = {};
	for (const sheet of workbook.worksheets) {
		const rows: string[][] = [];
		sheet.eachRow((row) => rows.push(Array.from({ length: sheet.columnCount }, (_, i) => String(row.getCell(i + 1).value ?? ''))));
		sheets[sheet.name] = rows;
	}
	return sheets;
}

const sign = (userId: number, kind: 'sign-in' | 'sign-out', local: string) => recordAttendance({ userId, kind, audit: webAudit, at: gmt(local) });

let today: { mobile: string };

beforeAll(async () => {
	twilio = await useTwilio();
	// January: London is on UTC.
	const ann = await reachablePerson({ firstName: 'Ann', lastName: 'Cli' });
	const ben = await reachablePerson({ firstName: 'Ben', lastName: 'Cli' });
	await sign(ann.user.id, 'sign-in', '2026-01-12T09:00:00');
	await sign(ann.user.id, 'sign-out', '2026-01-12T17:00:00');
	await sign(ann.user.id, 'sign-in', '2026-01-13T09:00:00');
	await sign(ben.user.id, 'sign-in', '2026-01-12T09:30:00');
	// Someone in on the commands' today.
	const tia = await reachablePerson({ firstName: 'Tia', lastName: 'Today' });
	today = tia;
	await sign(tia.user.id, 'sign-in', '2026-03-10T09:00:00');
});
afterAll(async () => {
	await twilio?.close();
	rmSync(dir, { recursive: true, force: true });
});

// Each command is a process of its own (a few seconds each on a busy machine).
const SLOW = 180_000;

db.describe(`register CLI: jobs and reports (${db.dialect})`, () => {
	it('answers --help for every command', async () => {
		for (const command of ['send-reminders', 'clean-old-records', 'stats', 'visits', 'create-admin', 'migrate']) {
			const { code, stdout } = await cli(command, '--help');
			expect(code, command).toBe(0);
			expect(stdout, command).toContain(`Usage: register ${command}`);
		}
	}, SLOW);

	it('stats and visits as a table, as CSV and as XLSX, with the reference columns', async () => {
		const range = ['--from', '2026-01-01', '--to', '2026-01-31'];
		const table = await cli('stats', ...range);
		expect(table.code).toBe(0);
		expect(table.stdout).toMatch(/│ 2026-01-12 │ 2\s+│ 1\s+│/);

		expect((await cli('stats', file('stats.csv'), ...range)).code).toBe(0);
		expect(parseCsv(readFileSync(file('stats.csv'), 'utf8'))).toEqual([
			['date', 'distinct_users', 'not_signed_out'],
			['2026-01-12', '2', '1'],
			['2026-01-13', '1', '1'],
		]);
		expect((await cli('stats', file('stats.xlsx'), ...range)).code).toBe(0);
		expect((await xlsxSheets(file('stats.xlsx'))).stats).toEqual([
			['date', 'distinct_users', 'not_signed_out'],
			['2026-01-12', '2', '1'],
			['2026-01-13', '1', '1'],
		]);

		const visits = [
			['user', 'date', 'first_sign_in', 'last_sign_out'],
			['ann.cli', '2026-01-12', '2026-01-12 09:00', '2026-01-12 17:00'],
			['ben.cli', '2026-01-12', '2026-01-12 09:30', ''],
			['ann.cli', '2026-01-13', '2026-01-13 09:00', ''],
		];
		const summary = [
			['user', 'days_signed_in', 'days_not_signed_out', 'pct'],
			['ann.cli', '2', '1', '50'],
			['ben.cli', '1', '1', '100'],
		];
		expect((await cli('visits', file('visits.csv'), '--summary', ...range)).code).toBe(0);
		expect(parseCsv(readFileSync(file('visits.csv'), 'utf8'))).toEqual(visits);
		expect(parseCsv(readFileSync(file('visits-summary.csv'), 'utf8'))).toEqual(summary);
		expect((await cli('visits', file('visits.xlsx'), '--summary', ...range)).code).toBe(0);
		expect(await xlsxSheets(file('visits.xlsx'))).toEqual({ visits, summary });
		const shown = await cli('visits', '--summary', ...range);
		expect(shown.stdout).toMatch(/│ ben\.cli │ 1\s+│ 1\s+│ 100 │/);
	}, SLOW);

	it('send-reminders lists who would get one and sends nothing, then sends with --send', async () => {
		const dry = await cli('send-reminders');
		expect(dry.code).toBe(0);
		expect(dry.stdout).toContain('Tia Today');
		expect(dry.stdout).toMatch(/would get the reminder message/);
		expect(twilio.captured()).toHaveLength(0);

		const sent = await cli('send-reminders', '--send', '--template', 'reminder_pm');
		expect(sent.code).toBe(0);
		expect(twilio.captured().map((m) => [m.to, m.body])).toEqual([[today.mobile, `Hope you have had a good day today. Please remember to sign-out when you leave by visiting ${SITE}/`]]);
		expect(await Delivery.count({ where: { kind: 'reminder_pm', status: 'sent' } })).toBe(1);
	}, SLOW);

	it('refuses bad input with a sentence, a non-zero exit and nothing changed', async () => {
		const before = await SignInRecord.count();
		const cases: [string[], RegExp][] = [
			[['stats', file('stats.txt')], /must end in \.csv or \.xlsx/],
			[['visits', '--from', '2026-02-30'], /--from must be a date/],
			[['stats', '--from', '2026-02-01', '--to', '2026-01-01'], /must not be after/],
			[['clean-old-records', '--days', 'forever'], /whole number from 1 to 3650/],
			[['send-reminders', '--template', 'shout', '--send'], /Allowed choices are reminder, reminder_pm/],
			[['no-such-command'], /unknown command/],
		];
		for (const [args, message] of cases) {
			const { code, stderr } = await cli(...args);
			expect(code, args.join(' ')).not.toBe(0);
			expect(stderr, args.join(' ')).toMatch(message);
		}
		expect(existsSync(file('stats.txt'))).toBe(false);
		expect(await SignInRecord.count()).toBe(before);
		expect(twilio.captured().length).toBeLessThanOrEqual(1);
	}, SLOW);

	it('clean-old-records shows what would go with --dry-run, deletes it without (as the original did), and the stats survive', async () => {
		const before = await SignInRecord.count();
		const dry = await cli('clean-old-records', '--days', '30', '--dry-run');
		expect(dry.code).toBe(0);
		expect(dry.stdout).toMatch(/│ sign-in records\s+│ 3\s+│/);
		expect(dry.stdout).toContain('Run it without --dry-run to delete them.');
		expect(await SignInRecord.count()).toBe(before);

		const done = await cli('clean-old-records', '--days', '30');
		expect(done.code).toBe(0);
		expect(done.stdout).toMatch(/│ sign-in records\s+│ 3\s+│/);
		expect(await SignInRecord.count()).toBe(before - 3);
		expect(await DailyCount.count()).toBe(2);
		expect((await cli('stats', file('after.csv'), '--from', '2026-01-01', '--to', '2026-01-31')).code).toBe(0);
		expect(parseCsv(readFileSync(file('after.csv'), 'utf8')).slice(1)).toEqual([
			['2026-01-12', '2', '1'],
			['2026-01-13', '1', '1'],
		]);
	}, SLOW);
});
