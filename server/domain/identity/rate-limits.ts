/**
 * How often a person (a contact detail) and a network address (an IP) may ask
 * for login codes and guess them. Each limit is a fixed window kept in the
 * database, so several app instances share the count. Per-IP limits are
 * looser than per-contact ones because a whole office shares one public IP.
 */
import type { Sequelize } from 'sequelize';
import { database } from '../../db/database';
import { rateLimitStore, type Outcome, type RateLimitStore, type WindowSpec } from '../../db/rate-limit-store';
import type { ContactInput } from './contacts';
import { DomainError } from '../shared/errors';
import { keyedHash } from './secrets';
import { config } from '../../config';
import { logger } from '../../logger';

const limit = (points: number, minutes: number) => ({ points, minutes });

export const RATE_LIMITS = {
	/** Requests for a code: each sends an email or a (paid) text message. Per IP: an office's morning rush. */
	'code-request': { perContact: limit(5, 15), perIp: limit(100, 15) },
	/** Wrong code guesses (a right guess is given back); the 5-wrong-guesses-per-code rule comes on top. */
	'code-guess': { perContact: limit(10, 15), perIp: limit(30, 15) },
	/** Kiosk pairing codes tried from one address (a right one is given back): a tablet has no contact detail. */
	'kiosk-pair': { perIp: limit(20, 15) },
} as const satisfies Record<string, { perContact?: { points: number; minutes: number }; perIp: { points: number; minutes: number } }>;

export type LimitedAction = keyof typeof RATE_LIMITS;

type Limits = { perContact?: { points: number; minutes: number }; perIp: { points: number; minutes: number } };

/** An action's limits as configured: code requests per address come from LOGIN_CODES_PER_IP. */
export function limitsOf(action: LimitedAction): Limits {
	const limits: Limits = RATE_LIMITS[action];
	return action === 'code-request' ? { ...limits, perIp: { ...limits.perIp, points: config().loginCodesPerIp } } : limits;
}

export interface Requester {
	/** Absent for actions limited per address only. */
	contact?: ContactInput;
	/** Null when the server cannot tell (then only the contact's limit applies). */
	ip: string | null;
}

/** "Too many attempts: wait N minutes", N rounded up. */
export function waitMessage(msBeforeNext: number): string {
	const minutes = Math.max(1, Math.ceil(msBeforeNext / 60_000));
	return `Too many attempts: wait ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

export class RateLimits {
	constructor(private readonly store: RateLimitStore) {}

	/** Counts one attempt against the contact and the IP; refuses with 'rate-limited' when either is used up. */
	async consume(action: LimitedAction, requester: Requester): Promise<void> {
		let outcomes: Outcome[];
		try {
			outcomes = await Promise.all(this.windows(action, requester).map(([spec, key]) => this.store.consume(spec, key)));
		} catch (error) {
			// The database failed (e.g. locked for too long): refuse clearly rather than let the attempt through uncounted.
			logger().error({ err: error, action }, 'rate-limit store failed');
			throw new DomainError('unavailable', 'The server is busy: please try again in a moment.');
		}
		const refused = outcomes.filter((outcome) => !outcome.allowed);
		if (refused.length) {
			const wait = Math.max(...refused.map((outcome) => outcome.msBeforeNext));
			throw new DomainError('rate-limited', waitMessage(wait));
		}
	}

	/** Gives back the attempt just counted (a right code should not use up the allowance); never fails the caller. */
	async refund(action: LimitedAction, requester: Requester): Promise<void> {
		try {
			await Promise.all(this.windows(action, requester).map(([spec, key]) => this.store.reward(spec, key)));
		} catch (error) {
			logger().warn({ err: error, action }, 'could not give back a rate-limit point');
		}
	}

	private windows(action: LimitedAction, requester: Requester): Array<[WindowSpec, string]> {
		const limits = limitsOf(action);
		const spec = (scope: string, limit: { points: number; minutes: number }): WindowSpec => ({
			name: `${action}:${scope}`,
			points: limit.points,
			durationSeconds: limit.minutes * 60,
		});
		// Contact details are stored as a keyed hash: the table need not hold anyone's address.
		const windows: Array<[WindowSpec, string]> = [];
		if (limits.perContact && requester.contact) {
			windows.push([spec('contact', limits.perContact), keyedHash(`rate-limit:${requester.contact.method}:${requester.contact.value}`)]);
		}
		if (requester.ip) windows.push([spec('ip', limits.perIp), requester.ip.slice(0, 64)]);
		return windows;
	}
}

/** The limits on this database (a second instance on the same database sees the same counts). */
export function rateLimitsFor(sequelize: Sequelize): RateLimits {
	return new RateLimits(rateLimitStore(sequelize));
}

export const rateLimits = (): RateLimits => rateLimitsFor(database());
