/** Logging in with a code: request it through a method, then redeem it for a session. */
import type { AuditInput } from './audit';
import { contactHasUser, issueLoginCode, redeemLoginCode } from './login-codes';
import type { CodeLoginMethod } from './login-methods';
import { startSession } from './sessions';
import type { User } from '../db/models/people.model';

export interface CodeRequested {
	contact: string;
	/** First use of this contact: the name fields are needed with the code. */
	needsName: boolean;
}

export async function requestCode(method: CodeLoginMethod, rawContact: string): Promise<CodeRequested> {
	const contact = method.parseContact(rawContact);
	const issued = await issueLoginCode(contact);
	await method.deliver(contact, issued.code);
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

export async function logInWithCode(method: CodeLoginMethod, input: CodeLogin): Promise<{ user: User; sessionToken: string }> {
	const contact = method.parseContact(input.rawContact);
	const user = await redeemLoginCode({ ...input, contact });
	const sessionToken = await startSession(user.id, input.audit.userAgent);
	return { user, sessionToken };
}
