/**
 * Exactly-once runs across instances. A run is the row `(job, run_key)` in
 * `job_runs`, whose unique key decides which instance inserts it first: that
 * one runs it, the others skip. While it works, the winner renews the row's
 * heartbeat; a row left unfinished whose heartbeat is older than the timeout
 * belongs to an instance that died mid-run, and another instance takes it
 * over with a compare-and-set on the claim it saw (claimed_by and
 * heartbeat), so of several instances noticing at once exactly one wins.
 * The row keeps its id across a take-over, so the new owner can see what the
 * crashed run already did (its deliveries) and not do it twice.
 */
import { Op, UniqueConstraintError } from 'sequelize';
import { JobRun } from '../db/models/operations.model';

export type Claim =
	| { won: true; run: JobRun }
	| { won: false; finished: boolean };

/** Claims the run, or takes over a crashed one; answers whether this instance should run it. */
export async function claimRun(job: string, runKey: string, instance: string, now: Date, staleAfterMs: number): Promise<Claim> {
	try {
		return { won: true, run: await JobRun.create({ job, runKey, claimedBy: instance, startedAt: now, heartbeatAt: now }) };
	} catch (error) {
		if (!(error instanceof UniqueConstraintError)) throw error;
	}
	const existing = await JobRun.findOne({ where: { job, runKey } });
	if (!existing) return { won: false, finished: false };
	if (existing.finishedAt) return { won: false, finished: true };
	const beat = existing.heartbeatAt ?? existing.startedAt;
	if (now.getTime() - beat.getTime() < staleAfterMs) return { won: false, finished: false };
	const [taken] = await JobRun.update(
		{ claimedBy: instance, heartbeatAt: now },
		{ where: { id: existing.id, claimedBy: existing.claimedBy, heartbeatAt: existing.heartbeatAt ?? { [Op.is]: null }, finishedAt: { [Op.is]: null } } },
	);
	if (taken !== 1) return { won: false, finished: false };
	await existing.reload();
	return { won: true, run: existing };
}

/** Renews the claim; false when another instance has taken the run over. */
export async function heartbeat(run: JobRun, instance: string, now: Date): Promise<boolean> {
	const [renewed] = await JobRun.update({ heartbeatAt: now }, { where: { id: run.id, claimedBy: instance, finishedAt: { [Op.is]: null } } });
	return renewed === 1;
}

/** Marks the run done (with the error that ended it, if any); a run taken over meanwhile is left to its new owner. */
export async function finishRun(run: JobRun, instance: string, now: Date, error?: string): Promise<void> {
	await JobRun.update({ finishedAt: now, heartbeatAt: now, error: error ?? null }, { where: { id: run.id, claimedBy: instance, finishedAt: { [Op.is]: null } } });
}
