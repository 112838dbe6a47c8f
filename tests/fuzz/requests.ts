/** fast-check arbitraries for the fuzz run: odd values, bodies and headers, and the request built from them. */
import fc from 'fast-check';
import type { Target } from './targets';

export type Who = 'anonymous' | 'staff' | 'admin';

export interface FuzzRequest {
	who: Who;
	method: string;
	path: string;
	headers: Record<string, string>;
	body?: string | FormData;
}

/** Values that broke (or could break) a parser, a header or a redirect, mixed with random text. */
const oddText = fc.oneof(
	fc.constantFrom(
		'', ' ', '\r\n', '\t', '\u0000', '%', '%00', '%E0%A4%A', '/\t/evil.example', '/%09/evil.example', '/\r/evil', '/\n/evil',
		'//evil.example', '/\\evil', '\\\\evil', 'https://evil.example', 'javascript:alert(1)', '../../etc/passwd', 'fail',
		'9'.repeat(40), '-1', '0', '1.5', '1e309', 'NaN', 'null', 'true', '[]', '{}', '<script>x</script>', `'"\`;--`,
		'admin', 'staff', 'marshal', 'ada@example.com', '+447911123456', '2026-02-30', '9999-99-99', 'a'.repeat(5000),
	),
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 40 }),
	fc.integer().map(String),
);

const fieldNames = ['contact', 'code', 'firstName', 'lastName', 'actionId', 'date', 'role', 'confirmUsername', 'declaration', 'id', 'contactId', 'userIds'];
const fields = fc.dictionary(fc.oneof(fc.constantFrom(...fieldNames), fc.string({ maxLength: 8 })), oddText, { maxKeys: 6 });

const json = fc.oneof(
	fc.jsonValue({ maxDepth: 3 }),
	fc.record(
		{
			userId: fc.oneof(fc.integer(), oddText),
			userIds: fc.array(fc.oneof(fc.integer({ min: -2, max: 8 }), oddText), { maxLength: 4 }),
			role: oddText,
			query: oddText,
			confirmUsername: oddText,
			actionId: fc.oneof(fc.uuid(), oddText),
			firstName: oddText,
			lastName: oddText,
			schemaVersion: fc.oneof(fc.constant(1), fc.integer()),
			actions: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
			action: fc.oneof(fc.constantFrom('enter', 'exit'), oddText),
			pushToken: oddText,
		},
		{ requiredKeys: [] },
	),
);

type Body = { type: string | null; body?: string | FormData };
const body: fc.Arbitrary<Body> = fc.oneof(
	fields.map((f) => ({ type: 'application/x-www-form-urlencoded', body: new URLSearchParams(f).toString() })),
	fields.map((f) => {
		const form = new FormData();
		for (const [k, v] of Object.entries(f)) form.append(k, v);
		return { type: null, body: form }; // fetch writes the multipart boundary itself
	}),
	fc.constantFrom<Body>(
		{ type: 'multipart/form-data; boundary=x', body: '--x\r\nbroken' },
		{ type: 'multipart/form-data', body: 'no boundary at all' },
		{ type: 'text/plain', body: 'contact=ada@example.com' },
		{ type: 'application/octet-stream', body: '\u0000\u0001' },
		{ type: null },
	),
	json.map((j) => ({ type: 'application/json', body: JSON.stringify(j) })),
	oddText.map((t) => ({ type: 'application/json', body: t })),
);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const authorization = fc.oneof(
	fc.constant(undefined),
	oddText.map((t) => `Bearer ${t}`),
	oddText.map((t) => `LLToken ${t}`),
	oddText,
	fc.jsonValue({ maxDepth: 2 }).map((claims) => `Bearer ${b64({ alg: 'none' })}.${b64(claims)}.x`),
	fc.record({ tid: fc.constantFrom('fuzz-tenant', 'other'), appid: fc.constantFrom('fuzz-mobile-app', 'other'), oid: oddText }).map((c) => `Bearer ${b64({ alg: 'RS256' })}.${b64(c)}.sig`),
);

const segment = (name: string): fc.Arbitrary<string> =>
	name === '[id]'
		? fc.oneof(fc.integer({ min: 1, max: 6 }).map(String), oddText)
		: name === '[method]'
			? fc.oneof(fc.constantFrom('dev', 'email', 'sms', 'microsoft'), oddText)
			: oddText;

function concretePath(route: string): fc.Arbitrary<string> {
	const parts = route.split('/').filter(Boolean);
	return fc.tuple(...parts.map((p) => (p.startsWith('[') ? segment(p).map((v) => encodeURIComponent(v) || '_') : fc.constant(p)))).map((p) => `/${p.join('/')}`);
}

const query = fc.dictionary(fc.constantFrom('next', 'q', 'date', 'reason', 'id', 'erased', 'merged', 'input', 'batch'), oddText, { maxKeys: 3 });

export function fuzzRequest(targets: Target[], base: string): fc.Arbitrary<FuzzRequest> {
	return fc
		.record({
			who: fc.constantFrom<Who>('anonymous', 'staff', 'admin'),
			target: fc.constantFrom(...targets),
			query,
			body,
			authorization,
			foreignOrigin: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
			jsonMutation: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
			procedureInput: json,
		})
		.chain((r) => {
			const route = r.target.kind === 'trpc' ? `/api/trpc/${r.target.procedure}` : r.target.route;
			return concretePath(route).map((concrete) => ({ ...r, concrete }));
		})
		.map(({ who, target, concrete, query: q, body: b, authorization: auth, foreignOrigin, jsonMutation, procedureInput }) => {
			const search = new URLSearchParams(q);
			let method = 'GET';
			let pathname = concrete;
			let content: Body = { type: null };
			if (target.kind === 'data') pathname = `${concrete === '/' ? '' : concrete}/__data.json`;
			if (target.kind === 'action') {
				method = 'POST';
				content = b;
			}
			if (target.kind === 'endpoint') {
				method = target.method;
				if (method !== 'GET') content = b;
			}
			if (target.kind === 'trpc') {
				if (target.type === 'query') search.set('input', JSON.stringify(procedureInput));
				else {
					method = 'POST';
					content = jsonMutation ? { type: 'application/json', body: JSON.stringify(procedureInput) } : b;
				}
			}
			const action = target.kind === 'action' && target.action ? `/${target.action}` : null;
			const queryText = [action, search.toString()].filter(Boolean).join('&');
			const headers: Record<string, string> = { origin: foreignOrigin ? 'https://evil.example' : base };
			if (content.type) headers['content-type'] = content.type;
			if (auth !== undefined) headers.authorization = auth;
			return { who, method, path: `${pathname}${queryText ? `?${queryText}` : ''}`, headers, body: content.body };
		});
}
