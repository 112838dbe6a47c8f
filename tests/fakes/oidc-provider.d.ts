/**
 * oidc-provider 9 ships no type declarations (and @types/oidc-provider is for
 * older majors): the few parts the Microsoft stand-in uses, typed by hand.
 */
declare module 'oidc-provider' {
	import type { IncomingMessage, ServerResponse } from 'node:http';

	export interface KoaContextWithOIDC {
		type: string;
		body: unknown;
		oidc: {
			provider: Provider;
			session?: { accountId?: string };
			client?: { clientId: string };
			params?: Record<string, unknown>;
		};
	}

	export interface Account {
		accountId: string;
		claims(use: string, scope: string): Record<string, unknown> | Promise<Record<string, unknown>>;
	}

	export interface ClientMetadata {
		client_id: string;
		client_secret?: string;
		redirect_uris?: string[];
		grant_types?: string[];
		response_types?: string[];
		token_endpoint_auth_method?: string;
	}

	export interface Configuration {
		clients?: ClientMetadata[];
		jwks?: { keys: object[] };
		cookies?: { keys?: string[] };
		scopes?: string[];
		claims?: Record<string, string[]>;
		conformIdTokenClaims?: boolean;
		pkce?: { required?: (ctx: KoaContextWithOIDC, client: unknown) => boolean };
		features?: Record<string, { enabled: boolean } & Record<string, unknown>>;
		interactions?: { url(ctx: KoaContextWithOIDC, interaction: { uid: string }): string };
		loadExistingGrant?(ctx: KoaContextWithOIDC): Promise<Grant | undefined>;
		findAccount?(ctx: KoaContextWithOIDC, id: string): Promise<Account | undefined>;
		renderError?(ctx: KoaContextWithOIDC, out: Record<string, unknown>, error: Error): void | Promise<void>;
		ttl?: Record<string, number>;
	}

	export interface Grant {
		addOIDCScope(scope: string): void;
		save(): Promise<string>;
	}

	export interface InteractionDetails {
		uid: string;
		params: Record<string, unknown>;
		prompt: { name: string; details: Record<string, unknown> };
	}

	export interface ClientCredentialsToken {
		clientId: string;
		isExpired: boolean;
	}

	export default class Provider {
		constructor(issuer: string, configuration?: Configuration);
		callback(): (req: IncomingMessage, res: ServerResponse) => void;
		interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
		interactionFinished(
			req: IncomingMessage,
			res: ServerResponse,
			result: Record<string, unknown>,
			options?: { mergeWithLastSubmission?: boolean },
		): Promise<void>;
		on(event: string, listener: (ctx: KoaContextWithOIDC, ...args: unknown[]) => void): this;
		Grant: new (properties: { accountId: string; clientId: string }) => Grant;
		ClientCredentials: { find(token: string): Promise<ClientCredentialsToken | undefined> };
	}
}
