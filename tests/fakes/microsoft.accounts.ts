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

/** Delegated Graph tokens the fake Graph answers /me for. */
export const e2eGraphTokens: Record<string, GraphProfile> = {
	'e2e-graph-token-appy': { mail: 'appy.mobile@example.com', givenName: 'Appy', surname: 'Mobile', userPrincipalName: 'appy.mobile@example.com' },
};

/** A JWT_SECRET for the e2e server (32+ characters). */
export const e2eJwtSecret = 'e2e-jwt-secret-for-the-mobile-app-api-0123456789';
