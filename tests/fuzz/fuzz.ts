/**
 * `npm run fuzz [-- --runs N --port P --seed S]`: a property-based run
 * (fast-check) of odd requests against the built app on 127.0.0.1, as
 * anonymous, staff and admin, over every route, form action, tRPC procedure
 * and legacy endpoint (tests/fuzz/targets.ts). The property: no answer is a
 * 5xx, and no body shows SQL, a stack trace or a file path. Every failure is
 * collected (not shrunk) and printed; the exit code says whether any was found.
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { createAdmin, logIn, startFuzzServer } from './app-server';
import { fuzzRequest, type FuzzRequest, type Who } from './requests';
import { enumerateTargets } from './targets';

const { values } = parseArgs({
	options: {
		runs: { type: 'string', default: '1000' },
		port: { type: 'string', default: process.env.FUZZ_PORT ?? '4373' },
		seed: { type: 'string' },
		dir: { type: 'string', default: process.env.FUZZ_DIR ?? '.fuzz' },
	},
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 1_000_000) throw new Error('--runs must be a whole number from 1 to 1000000');

/** What must never reach a client: database errors, SQL, stack frames, server file paths. */
const leaks = [
	/SQLITE_[A-Z]+|ER_[A-Z_]{4,}|Sequelize[A-Z]\w*Error/,
	/\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[^<]{0,80}\b(FROM|SET|VALUES|WHERE)\b/,
	/\n\s+at [^\n]+:\d+:\d+/,
	/(\/work|\/home|\/srv|\/usr\/lib|node_modules)\/[\w.-]+\//,
];

interface Finding {
	request: FuzzRequest;
	status: number;
	why: string;
	excerpt: string;
}

async function main(): Promise<void> {
	const server = await startFuzzServer({ port: Number(values.port), dir: values.dir! });
	const findings: Finding[] = [];
	let sent = 0;
	let unsendable = 0;
	const statuses = new Map<number, number>();
	try {
		await createAdmin(server, 'fuzz.admin@example.com');
		const cookies: Record<Who, string | undefined> = {
			anonymous: undefined,
			staff: await logIn(server, 'fuzz.staff@example.com'),
			admin: await logIn(server, 'fuzz.admin@example.com'),
		};
		const targets = enumerateTargets();
		console.log(`Fuzzing ${targets.length} targets with ${runs} requests against ${server.base}…`);
		const property = fc.asyncProperty(fuzzRequest(targets, server.base), async (request) => {
			const headers = { ...request.headers, ...(cookies[request.who] ? { cookie: cookies[request.who]! } : {}) };
			// A header value with control characters is not HTTP (RFC 9110 field-value): Node's parser drops the connection.
			if (Object.values(headers).some((value) => !/^[\t\x20-\x7e\x80-\xff]*$/.test(value))) {
				unsendable += 1;
				return;
			}
			let response: Response;
			try {
				response = await fetch(`${server.base}${request.path}`, { method: request.method, headers, body: request.body, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
			} catch (error) {
				// fetch refuses some header values a real client could not send either; a hang or reset is a finding.
				if (error instanceof TypeError && !/fetch failed/.test(error.message)) {
					unsendable += 1;
					return;
				}
				findings.push({ request, status: 0, why: `no answer: ${(error as Error).message}`, excerpt: '' });
				return;
			}
			sent += 1;
			const text = await bodyText(response);
			statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
			const leak = leaks.find((pattern) => pattern.test(text));
			if (response.status >= 500 || leak) {
				const at = leak ? Math.max(0, text.search(leak) - 60) : 0;
				findings.push({ request, status: response.status, why: leak ? `body matches ${leak}` : '5xx', excerpt: text.slice(at, at + 240) });
			}
		});
		await fc.assert(property, { numRuns: runs, seed: values.seed === undefined ? undefined : Number(values.seed), endOnFailure: true });
	} finally {
		await server.stop();
	}

	const counts = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
	console.log(`Sent ${sent} requests (${unsendable} not valid HTTP, skipped); statuses: ${counts}`);
	if (!findings.length) {
		console.log('No 5xx and no leaked internals.');
		return;
	}
	console.error(`\n${findings.length} finding(s):`);
	for (const f of findings.slice(0, 30)) {
		console.error(`- ${f.status} ${f.why}\n  ${f.request.who} ${f.request.method} ${f.request.path}\n  ${JSON.stringify(f.request.headers)} body=${JSON.stringify(typeof f.request.body === 'string' ? f.request.body.slice(0, 200) : f.request.body ? '[multipart]' : null)}\n  ${JSON.stringify(f.excerpt)}`);
	}
	const errors = server.output().split('\n').filter((line) => /"level":50|Error/.test(line)).slice(0, 10);
	if (errors.length) console.error(`\nServer log (first errors):\n${errors.join('\n')}`);
	process.exitCode = 1;
}

await main();

/** The body; for an event stream (the admin live view never ends by design) its first chunk only. */
async function bodyText(response: Response): Promise<string> {
	if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return response.text();
	const reader = response.body!.getReader();
	const first = await reader.read();
	await reader.cancel();
	return new TextDecoder().decode(first.value ?? new Uint8Array());
}
