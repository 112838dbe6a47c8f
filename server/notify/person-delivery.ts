/**
 * Reaching one person through every channel they have used: each of their
 * contact details (email, SMS, web push) is one delivery. Reminders,
 * "did not sign out" notices, emergency broadcasts and roll-call "are you
 * safe?" messages all go through here, so a channel added once reaches all
 * of them.
 *
 * One failed delivery never stops the rest and never throws: each outcome
 * comes back so the caller can log it per person and show it in the admin.
 */
import { Op } from 'sequelize';
import type { ContactMethod } from '../db/models/people.model';
import { ContactDetail } from '../db/models/people.model';
import { config } from '../config';
import { logger } from '../logger';
import { sendEmail, emailConfigured } from './email.notifier';
import { sendSms, smsConfigured } from './sms.notifier';

export interface PersonMessage {
	/** Email subject and push title. */
	subject: string;
	/** Plain text: the SMS body, the email text, the push body. */
	text: string;
	/** A link the message is about (the site, an "I'm safe" link); channels add it where it fits. */
	url?: string;
}

export type DeliveryChannel = ContactMethod | 'console';

export interface Delivery {
	userId: number;
	channel: DeliveryChannel;
	/** The address delivered to, as shown to an admin (email, phone number, push endpoint host). */
	address: string;
	ok: boolean;
	/** Why it failed, in words an admin can act on. */
	error?: string;
}

export interface DeliveryOptions {
	/** Only contact details that have been used to log in (the original's rule for reminders). */
	loggedInOnly?: boolean;
}

/** Sends one message to one address; throws when the provider refuses or cannot be reached. */
export type ChannelSender = (address: string, message: PersonMessage) => Promise<void>;

export interface Channel {
	configured: () => boolean;
	send: ChannelSender;
	/** How the address is shown to an admin (a push subscription is not shown whole). */
	display?: (address: string) => string;
}

const escapeHtml = (text: string) =>
	text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const withLink = (message: PersonMessage) => (message.url ? `${message.text}\n${message.url}` : message.text);

const channels = new Map<ContactMethod, Channel>([
	['sms', { configured: smsConfigured, send: (to, message) => sendSms(to, withLink(message)) }],
	[
		'email',
		{
			configured: () => emailConfigured(),
			send: (to, message) =>
				sendEmail({
					to,
					subject: message.subject,
					text: withLink(message),
					html: `<p>${escapeHtml(message.text)}</p>${message.url ? `<p><a href="${escapeHtml(message.url)}">${escapeHtml(message.url)}</a></p>` : ''}`,
				}),
		},
	],
]);

/** Adds (or replaces) the sender for a contact method, e.g. web push. */
export function registerChannel(method: ContactMethod, channel: Channel): void {
	channels.set(method, channel);
}

function reason(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * Delivers `message` to every contact detail of `userId` whose channel is
 * configured. With no channel configured at all in development, the message
 * is printed to the console so a developer sees it.
 */
export async function deliverToPerson(userId: number, message: PersonMessage, options: DeliveryOptions = {}): Promise<Delivery[]> {
	const where = options.loggedInOnly ? { userId, auditId: { [Op.ne]: null } } : { userId };
	const contacts = await ContactDetail.findAll({ where, attributes: ['method', 'value'], raw: true });
	const deliveries: Delivery[] = [];
	for (const contact of contacts) {
		const channel = channels.get(contact.method);
		if (!channel || !channel.configured()) continue;
		const address = channel.display ? channel.display(contact.value) : contact.value;
		try {
			await channel.send(contact.value, message);
			deliveries.push({ userId, channel: contact.method, address, ok: true });
		} catch (error) {
			logger().warn({ userId, channel: contact.method, err: error }, 'delivery to a person failed');
			deliveries.push({ userId, channel: contact.method, address, ok: false, error: reason(error) });
		}
	}
	if (deliveries.length === 0 && config().env === 'development') {
		process.stdout.write(`[dev message] to user ${userId}: ${message.subject}: ${withLink(message)}\n`);
		deliveries.push({ userId, channel: 'console', address: 'console', ok: true });
	}
	return deliveries;
}
