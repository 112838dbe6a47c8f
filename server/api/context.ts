import type { AuditInput } from '../domain/shared/audit';
import type { Role } from '../db/models/people.model';

/** The logged-in person as the edges see them: plain values, no model instance. */
export interface SessionUser {
	id: number;
	username: string;
	firstName: string;
	lastName: string;
	role: Role;
}

export interface Context {
	user: SessionUser | null;
	/** Who is asking, for audit records. */
	request: Omit<AuditInput, 'deviceId'>;
	/** The browser session's token, so "sign out other devices" can keep this one (null for LLToken API calls). */
	sessionToken?: string | null;
	/** The kiosk credential cookie, if this browser is a paired kiosk. It is not a user: see `kioskProcedure`. */
	kioskCredential: string | null;
	/** Puts the kiosk credential in its httpOnly cookie on the response (pairing, resuming). */
	setKioskCookie: (credential: string) => void;
}

/** Builds a context without an HTTP request, so routers are tested through createCaller. */
export function createContextInner(input: Partial<Context> = {}): Context {
	return {
		user: input.user ?? null,
		request: input.request ?? { ip: null, userAgent: null, source: 'web' },
		sessionToken: input.sessionToken ?? null,
		kioskCredential: input.kioskCredential ?? null,
		setKioskCookie: input.setKioskCookie ?? (() => {}),
	};
}

export const toSessionUser = (user: SessionUser): SessionUser => ({
	id: user.id,
	username: user.username,
	firstName: user.firstName,
	lastName: user.lastName,
	role: user.role,
});
