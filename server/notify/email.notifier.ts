/**
 * Email delivery. SMTP (nodemailer) when SMTP_URL is set; otherwise Microsoft
 * Graph sendMail when EMAIL_SENDER is set. A failed delivery is logged and
 * becomes one clear 'unavailable' refusal.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { config, type Config, type SmtpConfig } from '../config';
import { DomainError } from '../domain/shared/errors';
import { logger } from '../logger';
import { graphMailTransport } from '../integrations/microsoft/graph-mail';

export interface EmailMessage {
	to: string;
	subject: string;
	text: string;
	html: string;
}

/** One way of handing a message to a mail system. */
export type EmailTransport = (message: EmailMessage) => Promise<void>;

const couldNotSend = () => new DomainError('unavailable', 'We could not send the email: please try again.');

// One nodemailer transport per SMTP URL: tests (and a changed config) get a fresh one.
const smtpTransports = new Map<string, Transporter>();

function smtpTransport(smtp: SmtpConfig): EmailTransport {
	let transporter = smtpTransports.get(smtp.url);
	if (!transporter) {
		// Short timeouts: a person is waiting on the login page for this.
		transporter = nodemailer.createTransport({ url: smtp.url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
		smtpTransports.set(smtp.url, transporter);
	}
	const sender = transporter;
	return async (message) => {
		await sender.sendMail({ from: smtp.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
	};
}

/** SMTP when it is configured, else Graph; undefined when neither is. */
export function emailTransport(settings: Config = config()): EmailTransport | undefined {
	if (settings.smtp) return smtpTransport(settings.smtp);
	// Graph sendMail from the EMAIL_SENDER mailbox (config guarantees the Microsoft app registration with it).
	if (settings.graphEmailSender && settings.microsoft) return graphMailTransport(settings.microsoft, settings.graphEmailSender);
	return undefined;
}

export const emailConfigured = (settings: Config = config()): boolean =>
	settings.smtp !== undefined || settings.graphEmailSender !== undefined;

export async function sendEmail(message: EmailMessage): Promise<void> {
	const transport = emailTransport();
	if (!transport) throw new DomainError('unavailable', 'Email is not configured on this server.');
	try {
		await transport(message);
	} catch (error) {
		if (error instanceof DomainError) throw error;
		logger().error({ err: error, channel: 'email' }, 'email delivery failed');
		throw couldNotSend();
	}
}
