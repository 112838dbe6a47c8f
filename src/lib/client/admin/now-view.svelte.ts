/** The live "who is in now" view's state: fed by the live connection, read by the page. */
import type { NowSnapshot, PresenceChange, PresenceRow } from '$lib/contracts/live';
import { connectLive, type LiveMode, type LiveOptions } from './live-connection';
import { applyChange, countSentence, matchingName, splitByDay } from './now-rules';

export class NowView {
	people = $state<PresenceRow[]>([]);
	today = $state('');
	filter = $state('');
	mode = $state<LiveMode>('connecting');

	private readonly groups = $derived(splitByDay(this.people));
	/** Everyone in today, however the list is filtered. */
	readonly count = $derived(this.groups.inNow.length);
	readonly headline = $derived(countSentence(this.count));
	readonly inNow = $derived(matchingName(this.groups.inNow, this.filter));
	readonly notSignedOut = $derived(matchingName(this.groups.notSignedOut, this.filter));

	constructor(initial?: NowSnapshot) {
		if (initial) this.snapshot(initial);
	}

	snapshot(snapshot: NowSnapshot): void {
		this.people = snapshot.people;
		this.today = snapshot.today;
	}

	change(change: PresenceChange): void {
		this.people = applyChange(this.people, change);
		this.today = change.today;
	}

	/** Starts listening; returns the way to stop (for an $effect's cleanup). */
	connect(options?: LiveOptions): () => void {
		return connectLive({ snapshot: (s) => this.snapshot(s), change: (c) => this.change(c), mode: (m) => (this.mode = m) }, options);
	}
}
