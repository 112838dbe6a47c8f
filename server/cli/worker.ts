/**
 * `npm run worker`: the scheduled jobs alone, without the web server (for
 * deployments whose web instances run with SCHEDULER=off). Any number of
 * workers and web instances may run the jobs: each run is claimed once.
 */
import { config } from '../config';
import { closeDatabase, prepareDatabase } from '../db/database';
import { Scheduler } from '../jobs/scheduler';
import { jobs } from '../jobs/jobs';
import { logger } from '../logger';

try {
	config();
	const applied = await prepareDatabase();
	if (applied.length) logger().info({ migrations: applied }, 'applied migrations');
} catch (error) {
	console.error(`Building Register worker cannot start: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}

const scheduler = new Scheduler(jobs);
scheduler.start();
logger().info({ instance: scheduler.instance, jobs: jobs.map((j) => j.name) }, 'worker running the scheduled jobs');

const stop = async () => {
	await scheduler.stop();
	await closeDatabase();
	process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
