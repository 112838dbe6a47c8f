/** Starts the scheduled jobs in this process when the configuration says this process runs them. */
import { config } from '../config';
import { logger } from '../logger';
import { jobs } from './jobs';
import { Scheduler } from './scheduler';

let running: Scheduler | undefined;

export function startScheduler(): Scheduler | undefined {
	if (!config().schedulerHere || running) return running;
	running = new Scheduler(jobs);
	running.start();
	logger().info({ instance: running.instance, jobs: jobs.map((j) => j.name) }, 'scheduler started');
	return running;
}
