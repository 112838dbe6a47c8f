/** Inputs of the admin reports, corrections and exports, for the server and the browser alike. No Node or DOM imports. */
import { z } from 'zod';

const DAY_MS = 86_400_000;

const isCalendarDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

export const calendarDate = (label: string) =>
	z.string({ error: `${label} is required.` }).trim().refine(isCalendarDate, `${label} must be a date written YYYY-MM-DD.`);

/** Days from `from` to `to`, both included. */
export const daysIn = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

/** A range of dates, both included, at most `maxDays` long. */
export const dateRange = (maxDays: number) =>
	z
		.object({ from: calendarDate('The first date'), to: calendarDate('The last date') })
		.refine((r) => r.from <= r.to, { message: 'The first date must not be after the last date.', path: ['to'] })
		.refine((r) => daysIn(r.from, r.to) <= maxDays, { message: `Choose at most ${maxDays} days.`, path: ['to'] });

/** The report pages show at most three months at once; exports reach further. */
export const reportRange = dateRange(93);
export const exportRange = dateRange(3 * 366);

export const exportKinds = ['stats', 'visits'] as const;
export const exportFormats = ['csv', 'xlsx'] as const;
export type ExportKind = (typeof exportKinds)[number];
export type ExportFormat = (typeof exportFormats)[number];

export const exportQuery = z.intersection(
	z.object({
		kind: z.enum(exportKinds, { error: 'The export is stats or visits.' }),
		format: z.enum(exportFormats, { error: 'The format is csv or xlsx.' }),
	}),
	exportRange,
);

const localDateTime = (label: string) =>
	z.string().trim().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, `${label} must be a date and time (YYYY-MM-DDTHH:MM).`);

export const recordId = z.coerce.number({ error: 'That is not a record.' }).int('That is not a record.').positive('That is not a record.').max(2_147_483_647, 'That is not a record.');

/** An admin's correction: the record's building-local sign-in and sign-out as they should be, and why. */
export const correctionInput = z
	.object({
		recordId,
		signIn: localDateTime('The sign-in time'),
		/** Empty leaves the record open (only when it is open already). */
		signOut: z.union([z.literal(''), localDateTime('The sign-out time')]).default(''),
		reason: z.string({ error: 'Give a reason for the correction.' }).trim().min(1, 'Give a reason for the correction.').max(200, 'Keep the reason to 200 characters.'),
	})
	.strict();
export type CorrectionInput = z.infer<typeof correctionInput>;

/** The correction page's form: the record comes from the URL. */
export const correctionForm = correctionInput.omit({ recordId: true });

/** The charts page: the day whose occupancy is drawn, and how many weeks up to today the daily figures cover. */
export const chartsQuery = z.object({
	// Far dates mean nothing to a chart, and beyond year 9999 the date arithmetic itself breaks.
	date: calendarDate('The date').refine((d) => d >= '2000-01-01' && d <= '2100-12-31', 'Choose a date from 2000 to 2100.'),
	weeks: z.coerce.number({ error: 'The weeks must be a number from 1 to 52.' }).int('The weeks must be a number from 1 to 52.').min(1, 'The weeks must be a number from 1 to 52.').max(52, 'The weeks must be a number from 1 to 52.'),
});
export const DEFAULT_CHART_WEEKS = 8;

const wallTime = (label: string) =>
	z
		.string({ error: `${label} is required.` })
		.trim()
		.regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${label} must be a time written HH:MM.`);

/** An admin adding a visit no device recorded: the building-local date and times, and why. */
export const visitForm = z
	.object({
		date: calendarDate('The date'),
		signIn: wallTime('The sign-in time'),
		/** Empty: the person is still in. */
		signOut: z.union([z.literal(''), wallTime('The sign-out time')]).default(''),
		reason: z.string({ error: 'Give a reason for adding the visit.' }).trim().min(1, 'Give a reason for adding the visit.').max(200, 'Keep the reason to 200 characters.'),
	})
	.strict();
export type VisitForm = z.infer<typeof visitForm>;
