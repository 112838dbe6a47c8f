/**
 * The scheduler: every minute (croner), and once at start, each job whose
 * time has come today (building time, read from settings at every tick, so
 * a change needs no restart) is claimed for today's date and run if this
 * instance wins the claim (see claims.ts). So a run missed while every
 * instance was down happens once when one comes back the same day (unless
 * its moment has passed: a reminder is not sent after the next one is due),
 * and any number of instances can run the scheduler. Times come from `now()` in the
 * clock module, which tests replace to run days of jobs in seconds.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Cron } from 'croner';
import type { JobRun } from '../db/models/operations.model';
import { logger } from '../logger';
import { localDate, localTime, now as clockNow } from '../domain/shared/clock';
import { claimRun, finishRun, heartbeat } from './claims';

export interface JobContext {
	/** The `job_runs` row: its id names the run's deliveries. */
	run: JobRun;
	/** The building-local date the run is for. */
	date: string;
	now: Date;
}

export interface Job {
	name: string;
	/** Building-local HH:MM the job runs at, read at every tick. */
	at: () => Promise<string>;
	/** Building-local HH:MM after which a missed run is no longer worth doing that day (a morning reminder at night). */
	until?: () => Promise<string>;
	run: (context: JobContext) => Promise<unknown>;
}

export interface SchedulerOptions {
	/** This instance's name in `job_runs.claimed_by`. */
	instance?: string;
	/** A run whose heartbeat is older than this crashed, and another instance takes it over. */
	staleAfterMs?: number;
	now?: () => Date;
}

export const DEFAULT_STALE_AFTER_MS = 10 * 60_000;

export class Scheduler {
	readonly instance: string;
	private readonly staleAfterMs: number;
	private readonly now: () => Date;
	/** Runs known to be finished, so a tick does not ask the database again all day. */
	private readonly finished = new Set<string>();
	private cron: Cron | undefined;
	private ticking: Promise<string[]> | undefined;

	constructor(
		private readonly jobs: readonly Job[],
		options: SchedulerOptions = {},
	) {
		this.instance = options.instance ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
		this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
		this.now = options.now ?? clockNow;
	}

	/** Runs every job that is due and not yet run today; answers the `job:date` of the runs this instance did. */
	tick(): Promise<string[]> {
		// One tick at a time: croner's minute and a slow run must not overlap.
		this.ticking ??= this.runDue().finally(() => (this.ticking = undefined));
		return this.ticking;
	}

	private async runDue(): Promise<string[]> {
		const ran: string[] = [];
		for (const job of this.jobs) {
			const at = this.now();
			const date = localDate(at);
			const key = `${job.name}:${date}`;
			if (this.finished.has(key)) continue;
			try {
				const time = localTime(at);
				if (time < (await job.at())) continue;
				if (job.until && time >= (await job.until())) continue;
				const claim = await claimRun(job.name, date, this.instance, at, this.staleAfterMs);
				if (!claim.won) {
					if (claim.finished) this.finished.add(key);
					continue;
				}
				await this.runClaimed(job, claim.run, date);
				this.finished.add(key);
				ran.push(key);
			} catch (error) {
				// The database may be away: the next tick tries again.
				logger().error({ err: error, job: job.name, date }, 'scheduled job could not be claimed');
			}
		}
		return ran;
	}

	private async runClaimed(job: Job, run: JobRun, date: string): Promise<void> {
		const log = logger().child({ job: job.name, date, runId: run.id, instance: this.instance });
		const beat = setInterval(() => void heartbeat(run, this.instance, this.now()).catch(() => {}), Math.max(1000, this.staleAfterMs / 3));
		beat.unref();
		try {
			log.info('scheduled job started');
			const result = await job.run({ run, date, now: this.now() });
			await finishRun(run, this.instance, this.now());
			log.info({ result }, 'scheduled job finished');
		} catch (error) {
			log.error({ err: error }, 'scheduled job failed');
			await finishRun(run, this.instance, this.now(), error instanceof Error ? error.message : String(error));
		} finally {
			clearInterval(beat);
		}
	}

	/** Ticks now (catching up on today's missed runs) and at the start of every minute. */
	start(): void {
		void this.tick();
		this.cron = new Cron('0 * * * * *', { protect: true, name: `scheduler-${this.instance}` }, async () => {
			await this.tick();
		});
	}

	async stop(): Promise<void> {
		this.cron?.stop();
		this.cron = undefined;
		await this.ticking;
	}
}
