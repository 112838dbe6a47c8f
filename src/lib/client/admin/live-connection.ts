/**
 * Keeps the live view fed: server-sent events first (the browser reconnects
 * by itself, sending Last-Event-ID, and the server answers with what was
 * missed or a fresh snapshot); polling the snapshot where EventSource is
 * missing or keeps failing.
 */
import { liveEventNames, nowSnapshot, presenceChange, type NowSnapshot, type PresenceChange } from '$lib/contracts/live';

export type LiveMode = 'connecting' | 'live' | 'polling';

export interface LiveHandlers {
	snapshot(snapshot: NowSnapshot): void;
	change(change: PresenceChange): void;
	mode(mode: LiveMode): void;
}

export interface LiveOptions {
	streamUrl?: string;
	snapshotUrl?: string;
	/** Failed connection attempts in a row before giving up on the stream. */
	maxFailures?: number;
	pollMs?: number;
	/** Injectable for tests; defaults to the browser's. */
	EventSource?: typeof EventSource | undefined;
	fetch?: typeof fetch;
}

export function connectLive(handlers: LiveHandlers, options: LiveOptions = {}): () => void {
	const { streamUrl = '/admin/live', snapshotUrl = '/admin/live/snapshot', maxFailures = 3, pollMs = 3000 } = options;
	const Source = 'EventSource' in options ? options.EventSource : globalThis.EventSource;
	const get = options.fetch ?? globalThis.fetch.bind(globalThis);
	let stopped = false;
	let source: EventSource | undefined;
	let timer: ReturnType<typeof setTimeout> | undefined;

	const poll = async () => {
		if (stopped) return;
		try {
			const response = await get(snapshotUrl, { headers: { accept: 'application/json' } });
			const parsed = response.ok ? nowSnapshot.safeParse(await response.json()) : null;
			if (parsed?.success) handlers.snapshot(parsed.data);
		} catch {
			// offline for a moment: the next poll tries again
		}
		if (!stopped) timer = setTimeout(() => void poll(), pollMs);
	};

	const startPolling = () => {
		source?.close();
		source = undefined;
		handlers.mode('polling');
		void poll();
	};

	if (!Source) {
		startPolling();
	} else {
		let failures = 0;
		handlers.mode('connecting');
		source = new Source(streamUrl);
		source.addEventListener('open', () => {
			failures = 0;
			handlers.mode('live');
		});
		source.addEventListener(liveEventNames.snapshot, (event) => {
			const parsed = nowSnapshot.safeParse(JSON.parse((event as MessageEvent<string>).data));
			if (parsed.success) handlers.snapshot(parsed.data);
		});
		source.addEventListener(liveEventNames.change, (event) => {
			const parsed = presenceChange.safeParse(JSON.parse((event as MessageEvent<string>).data));
			if (parsed.success) handlers.change(parsed.data);
		});
		source.addEventListener('error', () => {
			failures += 1;
			// CLOSED: the browser gave up (an answer that was not a stream); otherwise it retries by itself.
			if (source?.readyState === 2 || failures >= maxFailures) startPolling();
			else handlers.mode('connecting');
		});
	}

	return () => {
		stopped = true;
		source?.close();
		clearTimeout(timer);
	};
}
