/** The part of autocannon 8 the benchmark uses (the package ships no types). */
declare module 'autocannon' {
	namespace autocannon {
		interface Request {
			method?: string;
			path?: string;
			headers?: Record<string, string>;
			body?: string;
			/** Called before each send of this request; returning nothing skips it. */
			setupRequest?: (request: Request, context: Record<string, unknown>) => Request | undefined;
			onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string | string[]>) => void;
		}
		interface Options {
			url: string;
			connections?: number;
			/** Seconds. */
			duration?: number;
			/** Seconds before a request counts as a timeout. */
			timeout?: number;
			requests?: Request[];
		}
		interface Histogram {
			mean: number;
			p50: number;
			p99: number;
			total: number;
		}
		interface Result {
			/** Seconds. */
			duration: number;
			errors: number;
			timeouts: number;
			non2xx: number;
			latency: Histogram;
			requests: Histogram & { sent: number };
			statusCodeStats: Record<string, { count: number }>;
		}
		interface Instance {
			stop(): void;
			/** `client` is the connection that answered. */
			on(event: 'response', listener: (client: object, status: number, bytes: number, ms: number) => void): void;
		}
	}
	function autocannon(options: autocannon.Options, done: (error: Error | null, result: autocannon.Result) => void): autocannon.Instance;
	export = autocannon;
}
