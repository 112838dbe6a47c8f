/**
 * The load the HTTP benchmark puts on the app: autocannon runs whose every
 * request is built just before it is sent (another person's cookie, a fresh
 * action id), plus the sync push done the way bench/sync.bench.ts does it.
 * Every run is bounded: autocannon stops after its duration, a request
 * counts as a timeout after REQUEST_TIMEOUT_S, and a guard gives up on a run
 * that never reports. Failures are counted, never thrown.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { localDateIn } from '../src/lib/contracts/building-time';
import type { BenchPerson } from './http-seed';

export const REQUEST_TIMEOUT_S = 10;

export interface Figures {
	/** Successful answers a second (2xx, and for form actions a success inside). */
	reqPerSec: number;
	p50: number;
	p99: number;
	mean: number;
	/** HTTP answers outside 2xx, plus form actions SvelteKit answered 200 with a failure inside. */
	non2xx: number;
	/** Connection errors, timeouts included. */
	errors: number;
	timeouts: number;
	/**
	 * Connections (sync: workers) that got no answer at all during the run: a
	 * stall. A run shorter than the request timeout never counts a timeout.
	 */
	silent: number;
	note?: string;
}

export interface Load {
	connections: number;
	seconds: number;
	/** A fixed rate in requests per second across all connections. */
	rate?: number;
	requests: autocannon.Request[];
	/** Answers that were 2xx on the wire but failed inside (form actions). */
	failed?: () => number;
}

const none: Figures = { reqPerSec: 0, p50: 0, p99: 0, mean: 0, non2xx: 0, errors: 0, timeouts: 0, silent: 0 };

export function measure(url: string, load: Load): Promise<Figures> {
	return new Promise((resolve) => {
		let done = false;
		let stopGuard: NodeJS.Timeout | undefined;
		let giveUp: NodeJS.Timeout | undefined;
		const answering = new Set<unknown>();
		const finish = (figures: Figures) => {
			if (done) return;
			done = true;
			clearTimeout(stopGuard);
			clearTimeout(giveUp);
			resolve(figures);
		};
		const instance = autocannon(
			{
				url,
				connections: load.connections,
				duration: load.seconds,
				timeout: REQUEST_TIMEOUT_S,
				overallRate: load.rate,
				// autocannon 8's correction at a fixed rate uses an interval in the wrong unit (1/rate ms): keep the measured latencies.
				...(load.rate ? { ignoreCoordinatedOmission: true } : {}),
				requests: load.requests,
			},
			(error, result) => {
				if (error) return finish({ ...none, note: error.message });
				const failed = load.failed?.() ?? 0;
				finish({
					reqPerSec: (result.requests.total - result.non2xx - failed) / result.duration,
					p50: result.latency.p50,
					p99: result.latency.p99,
					mean: result.latency.mean,
					non2xx: result.non2xx + failed,
					errors: result.errors,
					timeouts: result.timeouts,
					silent: load.connections - answering.size,
				});
			},
		);
		if (done) return; // a bad option is reported at once
		instance.on('response', (client) => answering.add(client));
		// autocannon stops itself after `seconds`; these only matter if it never reports.
		stopGuard = setTimeout(() => instance.stop(), (load.seconds + REQUEST_TIMEOUT_S + 5) * 1000);
		giveUp = setTimeout(() => finish({ ...none, note: 'autocannon never reported' }), (load.seconds + REQUEST_TIMEOUT_S + 20) * 1000);
	});
}

/** Each call hands out the next item, round and round. */
function rotation<T>(items: readonly T[]): () => T {
	let next = 0;
	return () => items[next++ % items.length]!;
}

const cookie = (person: BenchPerson) => `register_session=${person.session}`;

/** GET / as a different logged-in person each time. */
export function staffPage(people: readonly BenchPerson[]): autocannon.Request[] {
	const pick = rotation(people);
	return [{ method: 'GET', path: '/', setupRequest: (request) => ({ ...request, headers: { cookie: cookie(pick()) } }) }];
}

export function report(adminSession: string, date: string): autocannon.Request[] {
	return [{ method: 'GET', path: `/report.json?date=${date}`, headers: { cookie: `register_session=${adminSession}` } }];
}

interface Pending {
	person?: BenchPerson;
	signIn?: boolean;
}

/**
 * The staff page's form action as `use:enhance` sends it (SvelteKit answers
 * JSON): each request another person, signing them in if out and out if in,
 * with a fresh action id. A person's state flips only on success, so a
 * request that autocannon built but never sent changes nothing.
 */
export function formSignIn(baseURL: string, people: readonly BenchPerson[], zone: string): { requests: autocannon.Request[]; failed: () => number } {
	const pick = rotation(people);
	let failed = 0;
	const request: autocannon.Request = {
		method: 'POST',
		path: '/?/signIn',
		setupRequest: (base, context: Pending) => {
			const person = pick();
			context.person = person;
			context.signIn = !person.signedIn;
			return {
				...base,
				path: context.signIn ? '/?/signIn' : '/?/signOut',
				headers: {
					cookie: cookie(person),
					origin: baseURL,
					accept: 'application/json',
					'x-sveltekit-action': 'true',
					'content-type': 'application/x-www-form-urlencoded',
				},
				body: new URLSearchParams({ date: localDateIn(zone, new Date()), actionId: randomUUID() }).toString(),
			};
		},
		onResponse: (status, body, context: Pending) => {
			if (status < 200 || status > 299) return;
			if (!body.includes('"type":"success"')) failed++;
			else if (context.person) context.person.signedIn = context.signIn!;
		},
	};
	return { requests: [request], failed: () => failed };
}

/** The mobile app's status call, "enter" for someone out and "exit" for someone in. */
export function appStatus(baseURL: string, people: readonly BenchPerson[]): autocannon.Request[] {
	const pick = rotation(people);
	return [
		{
			method: 'POST',
			path: '/api/app/status',
			setupRequest: (base, context: Pending) => {
				const person = pick();
				context.person = person;
				context.signIn = !person.signedIn;
				return {
					...base,
					headers: { authorization: `Bearer ${person.appToken}`, 'content-type': 'application/json', origin: baseURL },
					body: JSON.stringify({ action: context.signIn ? 'enter' : 'exit' }),
				};
			},
			onResponse: (status, _body, context: Pending) => {
				if (status >= 200 && status <= 299 && context.person) context.person.signedIn = context.signIn!;
			},
		},
	];
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** `reqPerSec` counts actions answered, not batches. */
export interface PushFigures extends Figures {
	seconds: number;
	actions: number;
	applied: number;
}

/**
 * `actionsEach` queued actions for each of these people, one `sync.push`
 * batch per person, `concurrency` batches at a time (as bench/sync.bench.ts
 * does); no batch is started after the deadline.
 */
export async function pushAll(
	baseURL: string,
	people: readonly BenchPerson[],
	actionsEach: number,
	concurrency: number,
	deadlineSeconds: number,
): Promise<PushFigures> {
	const start = Date.now() - 3 * 3_600_000;
	const queue = people.map((person) => ({
		person,
		actions: Array.from({ length: actionsEach }, (_, i) => ({
			id: randomUUID(),
			kind: i % 2 === 0 ? 'sign-in' : 'sign-out',
			clientAt: new Date(start + i * 60_000).toISOString(),
			deviceId: 'bench-phone',
		})),
	}));
	const latencies: number[] = [];
	let answered = 0;
	let applied = 0;
	let non2xx = 0;
	let errors = 0;
	let timeouts = 0;
	const began = performance.now();
	const deadline = began + deadlineSeconds * 1000;
	let silent = 0;
	const worker = async () => {
		let answers = 0;
		for (let job = queue.shift(); job && performance.now() < deadline; job = queue.shift()) {
			const sent = performance.now();
			try {
				const response = await fetch(`${baseURL}/api/trpc/sync.push`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', cookie: cookie(job.person), origin: baseURL },
					body: JSON.stringify({ schemaVersion: 1, actions: job.actions }),
					signal: AbortSignal.timeout(REQUEST_TIMEOUT_S * 1000),
				});
				const text = await response.text();
				latencies.push(performance.now() - sent);
				answers++;
				if (!response.ok) {
					non2xx++;
					continue;
				}
				const body = JSON.parse(text) as { result: { data: { results: Array<{ outcome: string }> } } };
				answered += body.result.data.results.length;
				applied += body.result.data.results.filter((r) => r.outcome === 'applied').length;
			} catch (error) {
				errors++;
				if (error instanceof DOMException && error.name === 'TimeoutError') timeouts++;
			}
		}
		if (answers === 0) silent++;
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	const seconds = (performance.now() - began) / 1000;
	const sorted = latencies.sort((a, b) => a - b);
	const mean = sorted.reduce((sum, ms) => sum + ms, 0) / (sorted.length || 1);
	const actions = people.length * actionsEach;
	const notSent = queue.length;
	return {
		reqPerSec: answered / seconds,
		p50: percentile(sorted, 50),
		p99: percentile(sorted, 99),
		mean,
		non2xx,
		errors,
		timeouts,
		silent,
		note: notSent ? `${notSent} batches not sent by the ${deadlineSeconds} s deadline` : undefined,
		seconds,
		actions,
		applied,
	};
}

/** Waits (at most `seconds`) until the app answers a logged-in page quickly again after a run. */
export async function settle(baseURL: string, person: BenchPerson, seconds = 20): Promise<boolean> {
	const until = Date.now() + seconds * 1000;
	while (Date.now() < until) {
		try {
			const response = await fetch(`${baseURL}/`, { headers: { cookie: cookie(person) }, signal: AbortSignal.timeout(2000) });
			await response.arrayBuffer();
			if (response.ok) return true;
		} catch {
			// still busy or stalled: try again
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return false;
}

export interface ReportAlone {
	/** Mean time of the answered requests, each sent after the previous one answered. */
	meanMs: number;
	answered: number;
	people: number;
	records: number;
	kilobytes: number;
}

/** The report fetched `times` times one after another: the server's time for it without a queue. */
export async function reportAlone(baseURL: string, adminSession: string, date: string, times: number): Promise<ReportAlone> {
	let total = 0;
	const figures = { answered: 0, people: 0, records: 0, kilobytes: 0 };
	for (let i = 0; i < times; i++) {
		const sent = performance.now();
		try {
			const response = await fetch(`${baseURL}/report.json?date=${date}`, {
				headers: { cookie: `register_session=${adminSession}` },
				signal: AbortSignal.timeout(REQUEST_TIMEOUT_S * 1000),
			});
			const text = await response.text();
			if (!response.ok) continue;
			total += performance.now() - sent;
			const users = (JSON.parse(text) as { users: Array<{ records: unknown[] }> }).users;
			Object.assign(figures, {
				answered: figures.answered + 1,
				people: users.length,
				records: users.reduce((sum, u) => sum + u.records.length, 0),
				kilobytes: text.length / 1024,
			});
		} catch {
			// a timeout: counted by what is missing from `answered`
		}
	}
	return { meanMs: figures.answered ? total / figures.answered : NaN, ...figures };
}
