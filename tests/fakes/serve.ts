/**
 * Runs every registered stand-in for the e2e tests, plus an inspector on
 * 127.0.0.1 that answers GET /captured/<name> with what that fake received.
 * Playwright starts it before the app (see playwright.config.ts).
 */
import { createServer } from 'node:http';
import { fakePorts } from './ports';
import { fakes, type RunningFake } from './registry';

const running = new Map<string, RunningFake>();
for (const fake of fakes) running.set(fake.name, await fake.start());

const inspector = createServer((req, res) => {
	const name = /^\/captured\/([\w-]+)$/.exec(req.url ?? '')?.[1];
	if (req.url === '/health') {
		res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ fakes: [...running.keys()] }));
		return;
	}
	const fake = name ? running.get(name) : undefined;
	if (!fake) {
		res.writeHead(404).end();
		return;
	}
	res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(fake.captured()));
});
inspector.listen(fakePorts.inspector, '127.0.0.1');

const stop = async () => {
	inspector.close();
	await Promise.all([...running.values()].map((fake) => fake.close()));
	process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
