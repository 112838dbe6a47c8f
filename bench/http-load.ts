/**
 * The load the HTTP benchmark puts on the app: autocannon runs whose every
 * request is built just before it is sent (another person's cookie, a fresh
 * action id). Every run is bounded: autocannon stops after its duration, a request
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
export function rotation<T>(items: readonly T[]): () => T {
	let next = 0;
	return () => items[next++ % items.length]!;
}

export const cookie = (person: BenchPerson) => `register_session=${person.session}`;

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
 * JSON): sign the person in if out and out if in, with a fresh action id.
 */
export function signInForm(baseURL: string, person: BenchPerson, zone: string) {
	const signIn = !person.signedIn;
	return {
		signIn,
		path: signIn ? '/?/signIn' : '/?/signOut',
		headers: {
			cookie: cookie(person),
			origin: baseURL,
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: new URLSearchParams({ date: localDateIn(zone, new Date()), actionId: randomUUID() }).toString(),
	};
}

/** A refused form action is still a 200, with a `failure` (or `redirect`) inside. */
export const formSucceeded = (body: string) => body.includes('"type":"success"');

/**
 * The sign-in form action, each request another person. A person's state
 * flips only on success, so a request autocannon built but never sent
 * changes nothing.
 */
export function formSignIn(baseURL: string, people: readonly BenchPerson[], zone: string): { requests: autocannon.Request[]; failed: () => number } {
	const pick = rotation(people);
	let failed = 0;
	const request: autocannon.Request = {
		method: 'POST',
		path: '/?/signIn',
		setupRequest: (base, context: Pending) => {
			const person = pick();
			const { signIn, path, headers, body } = signInForm(baseURL, person, zone);
			context.person = person;
			context.signIn = signIn;
			return { ...base, path, headers, body };
		},
		onResponse: (status, body, context: Pending) => {
			if (status < 200 || status > 299) return;
			if (!formSucceeded(body)) failed++;
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
