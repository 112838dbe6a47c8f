/**
 * The HTTP benchmark's requests sent one by one with fetch, each bounded by
 * REQUEST_TIMEOUT_S: the sync push as bench/sync.bench.ts does it, the wait
 * for the app to catch up after a run, and the report without a queue.
 */
import { randomUUID } from 'node:crypto';
import { cookie, REQUEST_TIMEOUT_S, type Figures } from './http-load';
import type { BenchPerson } from './http-seed';

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
	medianMs: number;
	answered: number;
	people: number;
	records: number;
	kilobytes: number;
}

/**
 * The report fetched `times` times one after another: the server's time for
 * it without a queue. The first WARM_UP fetches are not counted: they time
 * the JIT compiling the path, not the path.
 */
export async function reportAlone(baseURL: string, adminSession: string, date: string, times: number): Promise<ReportAlone> {
	const WARM_UP = 3;
	const durations: number[] = [];
	const figures = { answered: 0, people: 0, records: 0, kilobytes: 0 };
	for (let i = -WARM_UP; i < times; i++) {
		const sent = performance.now();
		try {
			const response = await fetch(`${baseURL}/report.json?date=${date}`, {
				headers: { cookie: `register_session=${adminSession}` },
				signal: AbortSignal.timeout(REQUEST_TIMEOUT_S * 1000),
			});
			const text = await response.text();
			if (!response.ok || i < 0) continue;
			durations.push(performance.now() - sent);
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
	durations.sort((a, b) => a - b);
	const meanMs = durations.length ? durations.reduce((sum, d) => sum + d, 0) / durations.length : NaN;
	return { meanMs, medianMs: durations.length ? percentile(durations, 50) : NaN, ...figures };
}
