/**
 * "Are you safe?": when a roll call starts, everyone on its list is asked
 * through every channel they have, with a link of their own. Opening the link
 * shows a button; pressing it marks them safe (a GET never marks: mail
 * scanners and link previews open links). The link is an HMAC under the
 * server key over the roll call and the person, so it cannot be made for
 * someone else, and pressing it twice is one mark.
 */
import { RollCall, RollCallEntry } from '../../db/models/operations.model';
import { User } from '../../db/models/people.model';
import { deliverToPerson, type Delivery } from '../../notify/person-delivery';
import { logger } from '../../logger';
import { keyedHash, sameHash } from '../identity/secrets';
import { DomainError } from '../shared/errors';
import { localTime } from '../shared/clock';
import { markPerson } from './roll-calls';
import { siteUrl } from '../notifications/deliveries';

const macOf = (rollCallId: number, userId: number) => keyedHash(`rollcall-safe:${rollCallId}:${userId}`).slice(0, 32);

export function safeToken(rollCallId: number, userId: number): string {
	return `${rollCallId}-${userId}-${macOf(rollCallId, userId)}`;
}

interface SafeLink {
	rollCall: RollCall;
	person: { id: number; firstName: string };
}

/** The roll call and person a link names, or a refusal in words. */
export async function readSafeLink(token: string): Promise<SafeLink> {
	const match = /^(\d{1,10})-(\d{1,10})-([0-9a-f]{32})$/.exec(token);
	if (!match || !sameHash(match[3]!, macOf(Number(match[1]), Number(match[2])))) {
		throw new DomainError('not-found', 'This link is not valid. Tell a fire marshal you are safe.');
	}
	const [rollCall, person] = await Promise.all([RollCall.findByPk(Number(match[1])), User.findByPk(Number(match[2]), { attributes: ['id', 'firstName'] })]);
	if (!rollCall || !person) throw new DomainError('not-found', 'This link is not valid. Tell a fire marshal you are safe.');
	return { rollCall, person: { id: person.id, firstName: person.firstName } };
}

/** Marks the link's person safe, once; refused after the roll call ended. */
export async function reportSafe(token: string, now = new Date()): Promise<{ firstName: string; at: Date }> {
	const { rollCall, person } = await readSafeLink(token);
	if (rollCall.endedAt) throw new DomainError('conflict', 'This roll call has ended. Thank you.');
	await markPerson({ id: `safe-${rollCall.id}-${person.id}`, rollCallId: rollCall.id, userId: person.id, status: 'safe', at: now, byUserId: null }, now);
	return { firstName: person.firstName, at: now };
}

/** Asks everyone on the roll call's list; one failed delivery never stops the rest. */
export async function askEveryoneIfSafe(rollCallId: number): Promise<Delivery[]> {
	const call = await RollCall.findByPk(rollCallId);
	if (!call) return [];
	const entries = await RollCallEntry.findAll({ where: { rollCallId }, attributes: ['userId'], raw: true });
	const deliveries: Delivery[] = [];
	const subject = call.drill ? 'Fire drill: are you safe?' : 'Fire alarm: are you safe?';
	for (const { userId } of entries) {
		const text = `${call.drill ? 'This is a drill. ' : ''}A roll call started at ${localTime(call.startedAt)}. When you are out of the building and safe, open this link and press "I'm safe":`;
		deliveries.push(...(await deliverToPerson(userId, { subject, text, url: `${siteUrl()}ok/${safeToken(rollCallId, userId)}` })));
	}
	const failed = deliveries.filter((d) => !d.ok);
	logger().info({ rollCallId, sent: deliveries.length - failed.length, failed: failed.length }, 'roll call: asked everyone if they are safe');
	return deliveries;
}
