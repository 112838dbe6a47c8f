/**
 * The camera reads a badge held up to it ten times a second. A code seen
 * again within `holdMs` of its last sighting is the same presentation, not a
 * new scan: it neither beeps again nor reaches the scan decision. (Taking the
 * badge away and showing it again is a new presentation, which the repeat
 * rule of the scan decision then answers.)
 */
export const HOLD_MS = 2_000;

export class HeldCodeFilter {
	private last: { text: string; at: number } | null = null;

	constructor(private readonly holdMs = HOLD_MS) {}

	/** True when `text` seen at `now` is a new presentation. */
	isNew(text: string, now: number): boolean {
		const held = this.last !== null && this.last.text === text && now - this.last.at < this.holdMs;
		this.last = { text, at: now };
		return !held;
	}

	reset(): void {
		this.last = null;
	}
}
