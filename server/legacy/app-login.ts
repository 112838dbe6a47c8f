/**
 * The mobile app's login: it sends the Microsoft Graph access token it got
 * from Entra. Graph's `/me` is what really validates the token; before
 * calling it we check the tenant (`tid`) and app (`appid`/`azp`) claims
 * (APP_TENANT_ID and APP_CLIENT_ID are required with JWT_SECRET), so a token
 * minted for another organisation or app is refused without a round trip.
 * People are matched on tenant + object id, not on the editable mail. Graph
 * refusing the token is a 401, Graph unreachable a 503.
 */
import { decodeJwt, type JWTPayload } from 'jose';
import { z } from 'zod';
import { config } from '../config';
import type { User } from '../db/models/people.model';
import { logger } from '../logger';
import { assertAppApiConfigured, issueAppToken } from './app-tokens';
import type { AuditInput } from '../domain/shared/audit';
import { DomainError } from '../domain/shared/errors';
import { firstEmail, namesFrom, userForDirectoryAccount } from '../domain/identity/external-identity';

/** Graph normally answers in well under a second; past this the app gets a 503 it can retry. */
export const GRAPH_TIMEOUT_MS = 5000;

const refused = (why: string) => new DomainError('unauthenticated', why);

function claimsOf(accessToken: string): JWTPayload {
	try {
		return decodeJwt(accessToken);
	} catch {
		throw refused('That is not a Microsoft access token: log in to the app again.');
	}
}

/** The configured tenant and app must match the token's own claims (read, not verified: Graph verifies); returns the claims. */
export function checkTokenClaims(accessToken: string, expected = config().legacyApp): JWTPayload {
	if (!expected.tenantId || !expected.clientId) {
		// Config validation requires both with JWT_SECRET; never fall back to trusting any tenant.
		throw new DomainError('unavailable', 'The mobile app API is not set up on this server (APP_TENANT_ID and APP_CLIENT_ID are not set).');
	}
	const claims = claimsOf(accessToken);
	if (claims.tid !== expected.tenantId) {
		throw refused('This Microsoft token belongs to another organisation: sign in with your work account.');
	}
	if (claims.appid !== expected.clientId && claims.azp !== expected.clientId) {
		throw refused('This Microsoft token was issued to another app: log in through the Building Register app.');
	}
	return claims;
}

const profileSchema = z.object({
	id: z.string().min(1).max(64).nullish(),
	mail: z.string().nullish(),
	userPrincipalName: z.string().nullish(),
	givenName: z.string().nullish(),
	surname: z.string().nullish(),
	displayName: z.string().nullish(),
});
export type GraphProfile = z.infer<typeof profileSchema>;

const unreachable = () => new DomainError('unavailable', 'Microsoft Graph cannot be reached right now: please try again in a few minutes.');

export async function graphProfile(accessToken: string, graphUrl = config().legacyApp.graphUrl): Promise<GraphProfile> {
	const url = `${graphUrl.replace(/\/+$/, '')}/me?$select=id,mail,userPrincipalName,givenName,surname,displayName`;
	let response: Response;
	try {
		response = await fetch(url, {
			headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
			signal: AbortSignal.timeout(GRAPH_TIMEOUT_MS),
		});
	} catch (error) {
		logger().warn({ err: error, url: graphUrl }, 'Microsoft Graph /me could not be reached');
		throw unreachable();
	}
	if (response.status === 401 || response.status === 403) {
		throw refused('Microsoft refused this token (it may have expired): log in to the app again.');
	}
	if (!response.ok) {
		logger().warn({ status: response.status }, 'Microsoft Graph /me failed');
		throw response.status >= 500 || response.status === 429 ? unreachable() : refused('Microsoft did not accept this token: log in to the app again.');
	}
	const profile = profileSchema.safeParse(await response.json().catch(() => null));
	if (!profile.success) {
		logger().warn({ issues: profile.error.issues }, 'Microsoft Graph /me answered an unexpected shape');
		throw unreachable();
	}
	return profile.data;
}

export interface AppLogin {
	user: User;
	token: string;
}

export async function logInWithGraphToken(accessToken: string, audit: AuditInput, at = new Date()): Promise<AppLogin> {
	assertAppApiConfigured();
	const claims = checkTokenClaims(accessToken);
	const profile = await graphProfile(accessToken);
	// Graph has checked the token, so its `id` is the account's object id; the unverified `oid` claim must agree.
	const objectId = profile.id;
	if (!objectId || (claims.oid !== undefined && claims.oid !== objectId) || typeof claims.tid !== 'string') {
		throw refused('Microsoft did not say which account this token belongs to: log in to the app again.');
	}
	const email = firstEmail(profile.mail, profile.userPrincipalName);
	if (!email) throw new DomainError('forbidden', 'Your Microsoft account has no email address this register can use: ask your administrator.');
	const names = namesFrom(profile.givenName, profile.surname, profile.displayName, email);
	const user = await userForDirectoryAccount({ tenantId: claims.tid, objectId, email, ...names }, audit, at);
	return { user, token: await issueAppToken(user, at) };
}
