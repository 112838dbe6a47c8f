/**
 * The stand-ins `serve.ts` runs for the e2e tests. Each entry starts one real
 * protocol server on 127.0.0.1 and returns what it captured, so tests can
 * read it through the inspector (GET /captured/<name>).
 */
export interface RunningFake {
	/** Everything the fake received that a test may want to read (messages, requests). */
	captured(): unknown[];
	close(): Promise<void>;
}

export interface FakeEntry {
	name: string;
	start(): Promise<RunningFake>;
}

export const fakes: FakeEntry[] = [];
