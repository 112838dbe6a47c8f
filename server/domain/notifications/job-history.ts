/** What the scheduled jobs did lately, for the admin: each run with its sent and failed deliveries, and who was not reached. */
import { QueryTypes } from 'sequelize';
import { database } from '../../db/database';
import { JobRun } from '../../db/models/operations.model';

export interface JobRunView {
	id: number;
	job: string;
	date: string;
	instance: string;
	startedAt: Date;
	finishedAt: Date | null;
	error: string | null;
	sent: number;
	failed: number;
}

export interface FailedDeliveryView {
	runId: number;
	job: string;
	date: string;
	name: string;
	channel: string;
	address: string;
	error: string;
}

/** The latest runs (three statements whatever their number). */
export async function jobHistory(limit = 50): Promise<{ runs: JobRunView[]; failures: FailedDeliveryView[] }> {
	const runs = await JobRun.findAll({ order: [['id', 'DESC']], limit });
	const ids = runs.map((r) => r.id);
	if (ids.length === 0) return { runs: [], failures: [] };
	const counts = await database().query<{ job_run_id: number | string; status: string; n: number | string }>(
		'SELECT job_run_id, status, COUNT(*) AS n FROM deliveries WHERE job_run_id IN (:ids) GROUP BY job_run_id, status',
		{ replacements: { ids }, type: QueryTypes.SELECT },
	);
	const count = (id: number, status: string) => Number(counts.find((c) => Number(c.job_run_id) === id && c.status === status)?.n ?? 0);
	const failed = await database().query<{ job_run_id: number | string; first_name: string | null; last_name: string | null; channel: string; address: string | null; error: string | null }>(
		`SELECT d.job_run_id, u.first_name, u.last_name, d.channel, d.address, d.error
		   FROM deliveries d LEFT JOIN users u ON u.id = d.user_id
		  WHERE d.job_run_id IN (:ids) AND d.status = 'failed'
		  ORDER BY d.id DESC LIMIT 200`,
		{ replacements: { ids }, type: QueryTypes.SELECT },
	);
	const byId = new Map(runs.map((r) => [r.id, r]));
	return {
		runs: runs.map((r) => ({ id: r.id, job: r.job, date: r.runKey, instance: r.claimedBy, startedAt: r.startedAt, finishedAt: r.finishedAt, error: r.error, sent: count(r.id, 'sent'), failed: count(r.id, 'failed') })),
		failures: failed.map((f) => {
			const run = byId.get(Number(f.job_run_id));
			return { runId: Number(f.job_run_id), job: run?.job ?? '', date: run?.runKey ?? '', name: `${f.first_name ?? ''} ${f.last_name ?? ''}`.trim() || 'Someone erased since', channel: f.channel, address: f.address ?? '', error: f.error ?? '' };
		}),
	};
}
