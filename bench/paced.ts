/**
 * Sign-ins at a fixed rate, open loop: request i is due at start + i/rate
 * and is sent then, whatever the earlier ones are doing; its latency runs
 * from when it was due, so a slow app cannot hide its queue (no coordinated
 * omission). autocannon's `overallRate` was the first choice, but it gives
 * each connection its own one-second window and all the windows start
 * together: "100 req/s over 100 connections" is a burst of 100 at the top of
 * every second, and its p50 is the burst's.
 */
import { formSucceeded, REQUEST_TIMEOUT_S, rotation, signInForm, type Figures } from './http-load';
import type { BenchPerson } from './http-seed';

/** More in flight than this and the app has stopped keeping up: later requests are not sent (counted as errors). */
const MAX_IN_FLIGHT = 200;

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PacedFigures extends Figures {
	/** The most requests in flight at once. */
	peak: number;
}

export async function pacedSignIns(baseURL: string, people: readonly BenchPerson[], zone: string, rate: number, seconds: number): Promise<PacedFigures> {
	const pick = rotation(people);
	const latencies: number[] = [];
	const counts = { non2xx: 0, errors: 0, timeouts: 0, inFlight: 0, peak: 0 };
	const send = async (due: number) => {
		const person = pick();
		const form = signInForm(baseURL, person, zone);
		counts.peak = Math.max(counts.peak, ++counts.inFlight);
		try {
			const response = await fetch(`${baseURL}${form.path}`, {
				method: 'POST',
				headers: form.headers,
				body: form.body,
				signal: AbortSignal.timeout(REQUEST_TIMEOUT_S * 1000),
			});
			const body = await response.text();
			if (!response.ok || !formSucceeded(body)) counts.non2xx++;
			else {
				latencies.push(performance.now() - due);
				person.signedIn = form.signIn;
			}
		} catch (error) {
			counts.errors++;
			if (error instanceof DOMException && error.name === 'TimeoutError') counts.timeouts++;
		} finally {
			counts.inFlight--;
		}
	};

	const began = performance.now();
	const sent: Promise<void>[] = [];
	for (let i = 0; i < Math.round(rate * seconds); i++) {
		const due = began + (i * 1000) / rate;
		const wait = due - performance.now();
		if (wait > 0) await sleep(wait);
		if (counts.inFlight >= MAX_IN_FLIGHT) counts.errors++;
		else sent.push(send(due));
	}
	await Promise.all(sent); // bounded by the request timeout
	const sorted = latencies.sort((a, b) => a - b);
	return {
		reqPerSec: latencies.length / ((performance.now() - began) / 1000),
		p50: percentile(sorted, 50),
		p99: percentile(sorted, 99),
		mean: sorted.reduce((sum, ms) => sum + ms, 0) / (sorted.length || 1),
		non2xx: counts.non2xx,
		errors: counts.errors,
		timeouts: counts.timeouts,
		silent: 0,
		peak: counts.peak,
	};
}
