/**
 * Logging in with a code: request it through a method, then redeem it for a
 * session. Both steps are rate-limited per contact detail and per IP.
 */
import type { AuditInput } from '../shared/audit';
import { DomainError } from '../shared/errors';
import { contactHasUser, issueLoginCode, newLoginCode, redeemLoginCode } from './login-codes';
import type { CodeLoginMethod } from './login-methods';
import { rateLimits } from './rate-limits';
import { startSession } from './sessions';
import type { User } from '../../db/models/people.model';

export interface CodeRequested {
	contact: string;
	/** First use of this contact: the name fields are needed with the code. */
	needsName: boolean;
}

/** Where a request comes from; the IP is null when the server cannot tell. */
export type Requester = Pick<AuditInput, 'ip'>;

/**
 * Sends a new code, then stores it: a delivery that fails (Twilio refuses, SMTP
 * is down) changes nothing, and the previous code, if any, still works.
 */
export async function requestCode(method: CodeLoginMethod, rawContact: string, requester: Requester = { ip: null }): Promise<CodeRequested> {
	const contact = method.parseContact(rawContact);
	await rateLimits().consume('code-request', { contact, ip: requester.ip });
	const code = newLoginCode();
	await method.deliver(contact, code);
	const issued = await issueLoginCode(contact, new Date(), code);
	return { contact: contact.value, needsName: !issued.hasUser };
}

export async function needsName(method: CodeLoginMethod, rawContact: string): Promise<boolean> {
	return !(await contactHasUser(method.parseContact(rawContact)));
}

export interface CodeLogin {
	rawContact: string;
	code: string;
	firstName?: string;
	lastName?: string;
	audit: AuditInput;
}

// Refusals that mean the code itself was right: the guess is given back.
const codeWasRight = (error: unknown) => error instanceof DomainError && (error.code === 'name-required' || error.field === 'firstName' || error.field === 'lastName');

export async function logInWithCode(method: CodeLoginMethod, input: CodeLogin): Promise<{ user: User; sessionToken: string }> {
	const contact = method.parseContact(input.rawContact);
	const limits = rateLimits();
	const requester = { contact, ip: input.audit.ip };
	await limits.consume('code-guess', requester);
	let user: User;
	try {
		user = await redeemLoginCode({ ...input, contact });
	} catch (error) {
		if (codeWasRight(error)) await limits.refund('code-guess', requester);
		throw error;
	}
	await limits.refund('code-guess', requester);
	const sessionToken = await startSession(user.id, input.audit.userAgent);
	return { user, sessionToken };
}
