/**
 * A local stand-in for Microsoft Entra ID: a real OpenID Connect provider
 * (oidc-provider) on 127.0.0.1 with one confidential client (PKCE required)
 * and the client-credentials grant enabled for Graph tokens.
 *
 * The interaction is a minimal page instead of oidc-provider's dev pages: a
 * "Sign in as" field prefilled from `login_hint`, a Sign in button that logs
 * the account in (consent is pre-granted, as an Entra admin would), and a
 * Cancel button that answers `access_denied`. Tests drive it with a browser
 * or by posting the form.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { RunningFake } from './registry';

export interface FakeAccount {
	id: string;
	email?: string;
	given_name?: string;
	family_name?: string;
	name?: string;
	preferred_username?: string;
	email_verified?: boolean;
}

export interface OidcFakeOptions {
	port: number;
	clientId: string;
	clientSecret: string;
	redirectUris: string[];
	accounts: FakeAccount[];
	/** Entra puts email and names in the ID token; `userinfo` keeps them out of it (the OIDC default). */
	claimsIn?: 'id_token' | 'userinfo';
}

export interface RunningOidcFake extends RunningFake {
	/** The issuer: http://127.0.0.1:<port>. */
	url: string;
	port: number;
	/** True when the token is a live access token from the client-credentials grant of our client. */
	isAppToken(token: string): Promise<boolean>;
}

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(uid: string, hint: string, clientId: string, problem = ''): string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title></head>
<body><main><h1>Sign in to your account</h1><p>Application ${escapeHtml(clientId)} wants to sign you in.</p>
${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}">
<label for="login">Sign in as</label> <input id="login" name="login" value="${escapeHtml(hint)}" autocomplete="username">
<button type="submit" name="choice" value="login">Sign in</button>
<button type="submit" name="choice" value="cancel">Cancel</button>
</form></main></body></html>`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startOidcFake(options: OidcFakeOptions): Promise<RunningOidcFake> {
	const captured: unknown[] = [];
	let provider: Provider | undefined;
	let providerHandler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
	const server = createServer((req, res) => {
		void handle(req, res).catch((error: unknown) => {
			res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
		});
	});

	const findAccount = (login: string) =>
		options.accounts.find((a) => a.id === login || (a.email !== undefined && a.email.toLowerCase() === login.toLowerCase()));

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		if (!provider || !providerHandler) {
			res.writeHead(503).end();
			return;
		}
		if (!/^\/interaction\/[\w-]+$/.test(req.url ?? '')) return providerHandler(req, res);
		const details = await provider.interactionDetails(req, res);
		if (req.method === 'GET') {
			const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(details.uid, hint, String(details.params.client_id)));
			return;
		}
		const form = await formBody(req);
		if (form.get('choice') === 'cancel') {
			captured.push({ event: 'denied' });
			await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' }, { mergeWithLastSubmission: false });
			return;
		}
		const account = findAccount(form.get('login') ?? '');
		if (!account) {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(details.uid, form.get('login') ?? '', String(details.params.client_id), 'No such account: try again.'));
			return;
		}
		captured.push({ event: 'login', accountId: account.id });
		await provider.interactionFinished(req, res, { login: { accountId: account.id } }, { mergeWithLastSubmission: false });
	}

	await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	const issuer = `http://127.0.0.1:${port}`;
	const { privateKey } = await generateKeyPair('RS256', { extractable: true });

	const configuration: Configuration = {
		clients: [
			{
				client_id: options.clientId,
				client_secret: options.clientSecret,
				redirect_uris: options.redirectUris,
				grant_types: ['authorization_code', 'client_credentials'],
				response_types: ['code'],
				token_endpoint_auth_method: 'client_secret_basic',
			},
		],
		jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'fake-entra' }] },
		cookies: { keys: ['a local test key that guards nothing of value'] },
		scopes: ['openid', 'email', 'profile', 'offline_access', GRAPH_DEFAULT_SCOPE],
		claims: {
			openid: ['sub'],
			email: ['email', 'email_verified'],
			profile: ['name', 'given_name', 'family_name', 'preferred_username'],
		},
		conformIdTokenClaims: options.claimsIn === 'userinfo',
		pkce: { required: () => true },
		// Explicit lifetimes, so oidc-provider does not print a notice for each default it uses.
		ttl: { AccessToken: 3600, ClientCredentials: 3600, IdToken: 3600, Interaction: 600, Grant: 3600, Session: 3600 },
		features: { devInteractions: { enabled: false }, clientCredentials: { enabled: true } },
		interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
		// Consent is granted in advance, as an Entra admin does for an organisation's own app.
		async loadExistingGrant(ctx: KoaContextWithOIDC) {
			const accountId = ctx.oidc.session?.accountId;
			const client = ctx.oidc.client;
			if (!accountId || !client) return undefined;
			const grant = new ctx.oidc.provider.Grant({ accountId, clientId: client.clientId });
			grant.addOIDCScope('openid email profile');
			await grant.save();
			return grant;
		},
		async findAccount(_ctx, id) {
			const account = options.accounts.find((a) => a.id === id);
			if (!account) return undefined;
			return {
				accountId: account.id,
				claims: () => {
					const { id: sub, ...claims } = account;
					return { sub, ...claims, email_verified: claims.email_verified ?? (claims.email !== undefined ? true : undefined) };
				},
			};
		},
		renderError(ctx, out) {
			ctx.type = 'html';
			ctx.body = `<!doctype html><title>Error</title><h1>${escapeHtml(String(out.error))}</h1><p>${escapeHtml(String(out.error_description ?? ''))}</p>`;
		},
	};
	provider = new Provider(issuer, configuration);
	providerHandler = provider.callback();
	provider.on('grant.success', (ctx: KoaContextWithOIDC) => captured.push({ event: 'token', grantType: ctx.oidc.params?.grant_type }));

	return {
		url: issuer,
		port,
		captured: () => captured,
		async isAppToken(token: string) {
			const found = await provider!.ClientCredentials.find(token).catch(() => undefined);
			return found !== undefined && found.clientId === options.clientId && !found.isExpired;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/**
 * Plays the browser at the stand-in without a browser: follows the
 * authorization URL to the sign-in page, submits it as `login` (or cancels),
 * and returns the URL the provider finally sends the browser back to (the
 * app's callback with a code or an error).
 */
export async function signInAtProvider(authorizationUrl: string, login: string, choice: 'login' | 'cancel' = 'login'): Promise<URL> {
	const jar = new Map<string, string>();
	const visit = async (url: string, init: RequestInit = {}) => {
		const headers = new Headers(init.headers);
		if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
		const response = await fetch(url, { ...init, headers, redirect: 'manual' });
		for (const cookie of response.headers.getSetCookie()) {
			const [pair] = cookie.split(';');
			const eq = pair!.indexOf('=');
			jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
		}
		return response;
	};
	const issuer = new URL(authorizationUrl).origin;
	let response = await visit(authorizationUrl);
	let location = new URL(response.headers.get('location') ?? '', issuer);
	await (await visit(location.href)).text();
	response = await visit(location.href, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ login, choice }),
	});
	// The provider resumes the authorization at /auth/<uid>, which then redirects to the app.
	for (let hops = 0; hops < 5 && location.origin === issuer; hops++) {
		location = new URL(response.headers.get('location') ?? '', issuer);
		if (location.origin === issuer) response = await visit(location.href);
	}
	return location;
}
