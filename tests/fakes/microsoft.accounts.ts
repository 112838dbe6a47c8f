/**
 * What the e2e Microsoft stand-ins know: the app registration the e2e server
 * is configured with, the identity provider's accounts, and the Graph tokens
 * the "mobile app" sends. Shared by the registry, playwright.config.ts and
 * the specs, so they cannot drift apart.
 */
import type { FakeAccount } from './oidc.fake';
import type { GraphProfile } from './graph.fake';

export const e2eMicrosoftApp = {
	tenantId: 'e2e-tenant',
	clientId: 'e2e-building-register',
	clientSecret: 'e2e-building-register-secret',
} as const;

export const e2eMicrosoftAccounts: FakeAccount[] = [
	{ id: 'mira', email: 'mira.microsoft@example.com', given_name: 'Mira', family_name: 'Microsoft', name: 'Mira Microsoft' },
];

/** The mobile app's own registration: the tenant and client id its Graph tokens carry (APP_TENANT_ID, APP_CLIENT_ID). */
export const e2eMobileApp = { tenantId: e2eMicrosoftApp.tenantId, clientId: 'e2e-mobile-app' } as const;

/** A Graph access token shaped as Entra issues it (a JWT the register reads but cannot verify). */
export function e2eGraphToken(claims: Record<string, unknown>): string {
	const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	return `${part({ typ: 'JWT', alg: 'RS256' })}.${part({ tid: e2eMobileApp.tenantId, appid: e2eMobileApp.clientId, ...claims })}.ZTJl`;
}

/** Delegated Graph tokens the fake Graph answers /me for. */
export const e2eGraphTokens: Record<string, GraphProfile> = {
	[e2eGraphToken({ oid: 'e2e-oid-appy' })]: {
		id: 'e2e-oid-appy',
		mail: 'appy.mobile@example.com',
		givenName: 'Appy',
		surname: 'Mobile',
		userPrincipalName: 'appy.mobile@example.com',
	},
};

/** A JWT_SECRET for the e2e server (32+ characters). */
export const e2eJwtSecret = 'e2e-jwt-secret-for-the-mobile-app-api-0123456789';
