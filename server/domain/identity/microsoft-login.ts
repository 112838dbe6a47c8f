/**
 * Logging in with a Microsoft account: the OpenID Connect authorization-code
 * flow with PKCE against Entra ID. The start keeps state, nonce and the PKCE
 * verifier in a short-lived flow cookie (the caller stores the string we
 * return); the callback checks all three through openid-client, takes the
 * verified email and names from the ID token (or userinfo), and opens a
 * session for that email's user.
 */
import * as oidc from 'openid-client';
import { z } from 'zod';
import { config, type MicrosoftConfig } from '../../config';
import type { User } from '../../db/models/people.model';
import { logger } from '../../logger';
import type { AuditInput } from '../shared/audit';
import { DomainError, type DomainErrorCode } from '../shared/errors';
import { firstEmail, namesFrom, userForVerifiedEmail } from './external-identity';
import { isNetworkFailure, microsoftClient } from '../../integrations/microsoft/oidc-client';
import { startSession } from './sessions';

/** How long a person has to finish signing in at Microsoft. */
export const FLOW_TTL_S = 10 * 60;
const SCOPE = 'openid profile email';

export const microsoftLoginFailures = {
	'not-configured': 'Microsoft login is not available on this server.',
	unavailable: 'Microsoft sign-in is not reachable right now: please try again in a few minutes.',
	denied: 'The Microsoft sign-in was cancelled or refused, so you are not logged in.',
	expired: 'Your Microsoft sign-in took too long or was started in another browser: please try again.',
	invalid: 'The answer from Microsoft could not be verified, so you are not logged in: please try again.',
	'no-email': 'Your Microsoft account has no email address this register can use: ask your administrator.',
} as const;
export type MicrosoftLoginFailureReason = keyof typeof microsoftLoginFailures;

const codeFor: Record<MicrosoftLoginFailureReason, DomainErrorCode> = {
	'not-configured': 'not-found',
	unavailable: 'unavailable',
	denied: 'unauthenticated',
	expired: 'unauthenticated',
	invalid: 'unauthenticated',
	'no-email': 'forbidden',
};

/** A refusal with a reason the failure page can show (the reason travels in its URL, never free text). */
export class MicrosoftLoginFailure extends DomainError {
	constructor(readonly reason: MicrosoftLoginFailureReason) {
		super(codeFor[reason], microsoftLoginFailures[reason]);
	}
}

const flowSchema = z.object({
	state: z.string().min(16).max(128),
	nonce: z.string().min(16).max(128),
	verifier: z.string().min(43).max(128),
	next: z.string().max(2000),
	startedAt: z.number().int(),
});
type Flow = z.infer<typeof flowSchema>;

function settings(): MicrosoftConfig {
	const c = config();
	if (!c.microsoft || !c.microsoftLogin) throw new MicrosoftLoginFailure('not-configured');
	return c.microsoft;
}

async function client(): Promise<oidc.Configuration> {
	try {
		return await microsoftClient(settings());
	} catch (error) {
		if (error instanceof MicrosoftLoginFailure) throw error;
		throw new MicrosoftLoginFailure('unavailable');
	}
}

export interface StartedMicrosoftLogin {
	authorizationUrl: string;
	/** The flow cookie's value: opaque to the caller. */
	flow: string;
}

export async function startMicrosoftLogin(input: { redirectUri: string; next: string; at?: Date }): Promise<StartedMicrosoftLogin> {
	const configuration = await client();
	const flow: Flow = {
		state: oidc.randomState(),
		nonce: oidc.randomNonce(),
		verifier: oidc.randomPKCECodeVerifier(),
		next: input.next,
		startedAt: (input.at ?? new Date()).getTime(),
	};
	const url = oidc.buildAuthorizationUrl(configuration, {
		redirect_uri: input.redirectUri,
		scope: SCOPE,
		response_type: 'code',
		code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
		code_challenge_method: 'S256',
		state: flow.state,
		nonce: flow.nonce,
	});
	return { authorizationUrl: url.href, flow: Buffer.from(JSON.stringify(flow)).toString('base64url') };
}

function readFlow(raw: string | undefined, at: Date): Flow {
	if (!raw) throw new MicrosoftLoginFailure('expired');
	let parsed: unknown;
	try {
		parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
	} catch {
		throw new MicrosoftLoginFailure('expired');
	}
	const flow = flowSchema.safeParse(parsed);
	if (!flow.success || at.getTime() - flow.data.startedAt > FLOW_TTL_S * 1000) throw new MicrosoftLoginFailure('expired');
	return flow.data;
}

/** A 5xx from the token or userinfo endpoint: the provider's trouble, not a bad answer. */
function providerBroke(error: unknown): boolean {
	if (error instanceof oidc.ResponseBodyError) return error.status >= 500;
	return error instanceof oidc.ClientError && error.cause instanceof Response && error.cause.status >= 500;
}

/** Why the provider's answer was refused, for the log and the person (never the provider's own text on screen). */
function callbackFailure(error: unknown): MicrosoftLoginFailure {
	if (error instanceof MicrosoftLoginFailure) return error;
	if (isNetworkFailure(error) || providerBroke(error)) {
		logger().warn({ err: error }, 'Microsoft identity provider failed during the sign-in callback');
		return new MicrosoftLoginFailure('unavailable');
	}
	if (error instanceof oidc.AuthorizationResponseError) {
		logger().info({ error: error.error, description: error.error_description }, 'Microsoft sign-in refused at the provider');
		return new MicrosoftLoginFailure(error.error === 'access_denied' || error.error === 'consent_required' ? 'denied' : 'invalid');
	}
	logger().warn({ err: error }, 'Microsoft sign-in answer refused');
	return new MicrosoftLoginFailure('invalid');
}

/** Claims from the ID token, completed from userinfo when the token lacks the email or names. */
async function identityClaims(configuration: oidc.Configuration, tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers) {
	const idClaims = tokens.claims();
	if (!idClaims) throw new MicrosoftLoginFailure('invalid');
	let claims: Record<string, unknown> = { ...idClaims };
	const complete = firstEmail(claims.email, claims.preferred_username, claims.upn) && (claims.given_name || claims.name);
	if (!complete && configuration.serverMetadata().userinfo_endpoint) {
		claims = { ...(await oidc.fetchUserInfo(configuration, tokens.access_token, idClaims.sub)), ...claims };
	}
	return claims;
}

export interface FinishedMicrosoftLogin {
	user: User;
	sessionToken: string;
	next: string;
}

export async function finishMicrosoftLogin(input: {
	callbackUrl: URL;
	flow: string | undefined;
	audit: AuditInput;
	at?: Date;
}): Promise<FinishedMicrosoftLogin> {
	const at = input.at ?? new Date();
	const configuration = await client();
	const flow = readFlow(input.flow, at);
	let claims: Record<string, unknown>;
	try {
		const tokens = await oidc.authorizationCodeGrant(configuration, input.callbackUrl, {
			pkceCodeVerifier: flow.verifier,
			expectedState: flow.state,
			expectedNonce: flow.nonce,
			idTokenExpected: true,
		});
		claims = await identityClaims(configuration, tokens);
	} catch (error) {
		throw callbackFailure(error);
	}
	// An address the provider itself calls unverified proves nothing; Entra's sign-in name (UPN) still does.
	const email = firstEmail(claims.email_verified === false ? null : claims.email, claims.preferred_username, claims.upn);
	if (!email) throw new MicrosoftLoginFailure('no-email');
	const names = namesFrom(claims.given_name, claims.family_name, claims.name, email);
	const user = await userForVerifiedEmail({ email, ...names }, input.audit, at);
	const sessionToken = await startSession(user.id, input.audit.userAgent, at);
	return { user, sessionToken, next: flow.next };
}
