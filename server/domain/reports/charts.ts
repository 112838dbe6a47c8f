/**
 * The admin charts' figures (issue 10): occupancy through one day, people
 * per day over the last weeks, and the busiest weekdays. Each is computed in
 * a constant number of queries however many people there are: the day's
 * records in one query folded in one pass, and one grouped query for the
 * daily counts, from which the weekdays follow without asking again.
 */
import { Op } from 'sequelize';
import { database } from '../../db/database';
import { SignInRecord } from '../../db/models/attendance.model';
import { statsPage } from '../../db/queries/export-rows.query';
import { foldRules } from '../attendance/attendance';
import { inUntil } from '../attendance/added-visits';
import { datesFrom } from '../attendance/report';
import { localDate, localTime, startOfLocalDay } from '../shared/clock';

export const SLOT_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
/** Longer than any range the page allows (52 weeks), so one page of the grouped query holds it all. */
const MAX_DAYS = 400;

/** `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export interface OccupancySlot {
	/** Building-local wall time the quarter hour begins, HH:MM. */
	time: string;
	at: Date;
	/** Distinct people in at some moment of the quarter hour; null for a quarter hour still to come. */
	people: number | null;
}

export interface Visit {
	userId: number;
	date: string;
	signInAt: Date;
	signOutAt: Date | null;
}

/**
 * One pass over the visits: each is in from its sign-in to its sign-out, or,
 * when still open, for as long as it counts as current (its own date, or the
 * maximum shift), and never beyond `now`.
 */
export function occupancySlots(visits: readonly Visit[], date: string, now: Date, maxShiftMs: number, zone?: string): OccupancySlot[] {
	const start = startOfLocalDay(date, zone).getTime();
	const end = startOfLocalDay(addDays(date, 1), zone).getTime();
	const slots = Math.round((end - start) / SLOT_MS);
	const people = Array.from({ length: slots }, () => new Set<number>());
	for (const visit of visits) {
		const from = visit.signInAt.getTime();
		const to = inUntil(visit, maxShiftMs, now, zone).getTime();
		const first = Math.max(0, Math.floor((from - start) / SLOT_MS));
		// A visit of no length still counts in the quarter hour it happened.
		const last = Math.min(slots - 1, Math.ceil((Math.max(to, from + 1) - start) / SLOT_MS) - 1);
		for (let i = first; i <= last; i++) people[i]!.add(visit.userId);
	}
	return people.map((set, i) => {
		const at = new Date(start + i * SLOT_MS);
		return { time: localTime(at, zone), at, people: at > now ? null : set.size };
	});
}

/** Occupancy of a building-local date, per quarter hour. */
export async function occupancyThrough(date: string, now = new Date()): Promise<OccupancySlot[]> {
	const [rules, rows] = await Promise.all([
		foldRules(),
		// A shift is at most 24 hours, so only the day before can still be in at the day's start.
		SignInRecord.findAll({
			attributes: ['userId', 'date', 'signInAt', 'signOutAt'],
			where: { date: [addDays(date, -1), date], signInAt: { [Op.lt]: startOfLocalDay(addDays(date, 1)) } },
		}),
	]);
	return occupancySlots(rows, date, now, rules.maxShiftMs);
}

/**
 * Distinct people per date, dates with nobody left out: from the sign-in
 * records, and from `daily_counts` for dates whose records retention deleted
 * (the stats export's query reads both), so the charts reach back as far as
 * the figures do. The one place the charts read daily figures from.
 */
export async function attendanceByDate(from: string, to: string): Promise<Map<string, number>> {
	const rows = await statsPage(database(), addDays(from, -1), to, MAX_DAYS);
	return new Map(rows.map((r) => [r.date, r.distinctUsers]));
}

export interface DayCount {
	date: string;
	people: number;
}

/** People in on each date of the `weeks` weeks that end on `today`, zero for days nobody came. */
export async function dailyAttendance(weeks: number, today: string): Promise<DayCount[]> {
	const from = addDays(today, -(7 * weeks - 1));
	const counts = await attendanceByDate(from, today);
	return datesFrom(from, today).map((date) => ({ date, people: counts.get(date) ?? 0 }));
}

export const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export interface WeekdayAverage {
	weekday: (typeof weekdayNames)[number];
	/** How many of these weekdays the average is over. */
	days: number;
	/** People per day on average, to one decimal. */
	average: number;
}

/** Average people per weekday over the given days, Monday first. */
export function busiestWeekdays(days: readonly DayCount[]): WeekdayAverage[] {
	const totals = weekdayNames.map(() => ({ days: 0, people: 0 }));
	for (const day of days) {
		// Noon UTC names the same weekday as the date itself.
		const index = (new Date(`${day.date}T12:00:00Z`).getUTCDay() + 6) % 7;
		totals[index]!.days += 1;
		totals[index]!.people += day.people;
	}
	return weekdayNames.map((weekday, i) => {
		const { days: n, people } = totals[i]!;
		return { weekday, days: n, average: n ? Math.round((people / n) * 10) / 10 : 0 };
	});
}

export interface Charts {
	date: string;
	weeks: number;
	occupancy: OccupancySlot[];
	daily: DayCount[];
	weekdays: WeekdayAverage[];
}

/** Everything the charts page shows: the day's occupancy and the last `weeks` weeks up to today. */
export async function charts(date: string, weeks: number, now = new Date()): Promise<Charts> {
	const [occupancy, daily] = await Promise.all([occupancyThrough(date, now), dailyAttendance(weeks, localDate(now))]);
	return { date, weeks, occupancy, daily, weekdays: busiestWeekdays(daily) };
}
