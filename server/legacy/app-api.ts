/**
 * The original mobile app's REST API, in its exact wire format:
 *   POST /api/app/login   Authorization: Bearer <Microsoft Graph token>
 *     → {user_id, user_first_name, user_last_name, token}
 *   GET|POST /api/app/status   Authorization: Bearer <app JWT> | LLToken <login token>
 *     body {"action"?: "enter" | "exit", "pushToken"?: string}
 *     → {in_office, first_name, last_name, timestamp, token, status_updated}
 * `timestamp` is when the open record of today began (ISO 8601, UTC), or
 * null when the person is not in. Refusals are `{"error": "..."}` with a
 * 4xx (or 503 when a service we need is missing or down).
 */
import { z } from 'zod';
import { httpStatusFor } from '../api/errors';
import { logInWithGraphToken } from './app-login';
import { appStatus, type AppStatusRequest } from './app-status';
import { assertAppApiConfigured, userForAppToken, type AppUser } from './app-tokens';
import type { AuditInput } from '../domain/shared/audit';
import { isDatabaseOutage, outageMessage, RETRY_AFTER_S } from '../db/outage';
import { DomainError } from '../domain/shared/errors';
import { userForLoginToken } from '../domain/identity/login-tokens';
import type { User } from '../db/models/people.model';

export interface LegacyLogin {
	user_id: number;
	user_first_name: string;
	user_last_name: string;
	token: string;
}

export interface LegacyStatus {
	in_office: boolean;
	first_name: string;
	last_name: string;
	timestamp: string | null;
	token: string;
	status_updated: boolean;
}

const MAX_BODY_CHARS = 10_000;

export const statusBodySchema = z.object({
	action: z.enum(['enter', 'exit'], { error: 'action must be "enter" or "exit".' }).optional(),
	pushToken: z
		.string({ error: 'pushToken must be a string.' })
		.trim()
		.min(1, 'pushToken must not be empty.')
		.max(255, 'pushToken must be at most 255 characters.')
		.optional(),
});

type Credentials = { scheme: 'bearer' | 'lltoken'; token: string };

export function parseAuthorization(header: string | null, allowed: ReadonlyArray<Credentials['scheme']>): Credentials {
	const match = /^(Bearer|LLToken) +([^\s]{1,4096})$/i.exec(header?.trim() ?? '');
	const scheme = match?.[1]!.toLowerCase() as Credentials['scheme'] | undefined;
	if (!match || !scheme || !allowed.includes(scheme)) {
		const forms = allowed.map((s) => (s === 'bearer' ? 'Bearer <token>' : 'LLToken <token>')).join(' or ');
		throw new DomainError('unauthenticated', `Send your credentials as Authorization: ${forms}.`);
	}
	return { scheme, token: match[2]! };
}

/** An empty body means "no action"; anything else must be the JSON object the app sends. */
export async function readStatusBody(request: Request): Promise<AppStatusRequest> {
	if (request.method !== 'POST') return {};
	const text = await request.text();
	if (!text.trim()) return {};
	if (text.length > MAX_BODY_CHARS) throw new DomainError('invalid-input', 'The request body is too large.');
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		throw new DomainError('invalid-input', 'The request body must be JSON, like {"action": "enter"}.');
	}
	const parsed = statusBodySchema.safeParse(raw);
	if (!parsed.success) throw new DomainError('invalid-input', parsed.error.issues[0]!.message);
	return parsed.data;
}

function errorResponse(error: unknown): Response {
	if (isDatabaseOutage(error)) return Response.json({ error: outageMessage }, { status: 503, headers: { 'retry-after': String(RETRY_AFTER_S) } });
	if (!(error instanceof DomainError)) throw error;
	const status = httpStatusFor[error.code];
	const headers: HeadersInit = status === 401 ? { 'www-authenticate': 'Bearer realm="building-register"' } : {};
	return Response.json({ error: error.message }, { status, headers });
}

export async function appLoginResponse(request: Request, audit: AuditInput): Promise<Response> {
	try {
		const { token: graphToken } = parseAuthorization(request.headers.get('authorization'), ['bearer']);
		const { user, token } = await logInWithGraphToken(graphToken, audit);
		const body: LegacyLogin = { user_id: user.id, user_first_name: user.firstName, user_last_name: user.lastName, token };
		return Response.json(body);
	} catch (error) {
		return errorResponse(error);
	}
}

async function authenticate(credentials: Credentials): Promise<AppUser> {
	if (credentials.scheme === 'bearer') return userForAppToken(credentials.token);
	const user = await userForLoginToken(credentials.token);
	if (!user) throw new DomainError('unauthenticated', 'That login token is not valid (it may have been replaced or revoked).');
	return user;
}

export async function appStatusResponse(request: Request, audit: AuditInput): Promise<Response> {
	try {
		assertAppApiConfigured();
		const credentials = parseAuthorization(request.headers.get('authorization'), ['bearer', 'lltoken']);
		const user = await authenticate(credentials);
		// The body is read after authentication, so a stranger learns nothing from its validation.
		const input = await readStatusBody(request);
		const result = await appStatus(user, input, audit);
		const body: LegacyStatus = {
			in_office: result.status.signedIn,
			first_name: result.user.firstName,
			last_name: result.user.lastName,
			timestamp: result.status.since?.toISOString() ?? null,
			token: result.token,
			status_updated: result.updated,
		};
		return Response.json(body);
	} catch (error) {
		return errorResponse(error);
	}
}
