/**
 * What the fuzz run can call, enumerated rather than listed by hand: every
 * route in src/routes (pages, their data requests, their form actions,
 * endpoints and their methods) and every tRPC procedure of the router, so a
 * new route or procedure is fuzzed without editing this file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { appRouter } from '../../server/api/router';

export type Target =
	| { kind: 'page'; route: string }
	| { kind: 'data'; route: string }
	| { kind: 'action'; route: string; action: string | null }
	| { kind: 'endpoint'; route: string; method: string }
	| { kind: 'trpc'; procedure: string; type: 'query' | 'mutation' };

const routesDir = path.resolve('src/routes');

function routeDirs(dir = routesDir): string[] {
	const here = readdirSync(dir, { withFileTypes: true });
	return [dir, ...here.filter((e) => e.isDirectory()).flatMap((e) => routeDirs(path.join(dir, e.name)))];
}

const routeOf = (dir: string) => '/' + path.relative(routesDir, dir).split(path.sep).filter((s) => s && !s.startsWith('(')).join('/');

/** The action names a `+page.server.ts` exports (its `actions` object's keys). */
function actionNames(source: string): string[] {
	const block = /export const actions[^=]*=\s*\{([\s\S]*)\};?\s*$/.exec(source)?.[1] ?? '';
	return [...block.matchAll(/^\t(\w+):/gm)].map((m) => m[1]!);
}

export function enumerateTargets(): Target[] {
	const targets: Target[] = [];
	for (const dir of routeDirs()) {
		const route = routeOf(dir);
		if (route.includes('[...trpc]')) continue; // fuzzed procedure by procedure below
		const pageServer = path.join(dir, '+page.server.ts');
		if (existsSync(path.join(dir, '+page.svelte'))) {
			targets.push({ kind: 'page', route }, { kind: 'data', route });
		}
		if (existsSync(pageServer)) {
			const names = actionNames(readFileSync(pageServer, 'utf8'));
			for (const name of names) targets.push({ kind: 'action', route, action: name === 'default' ? null : name });
			// The reserved name, and an action that does not exist, on every page with actions.
			if (names.length) targets.push({ kind: 'action', route, action: 'default' }, { kind: 'action', route, action: 'nope' });
		}
		const endpoint = path.join(dir, '+server.ts');
		if (existsSync(endpoint)) {
			const methods = [...readFileSync(endpoint, 'utf8').matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!);
			for (const method of [...new Set([...methods, 'POST', 'GET'])]) targets.push({ kind: 'endpoint', route, method });
		}
	}
	for (const [procedure, def] of Object.entries(appRouter._def.procedures)) {
		const type = (def as unknown as { _def: { type: string } })._def.type;
		if (type === 'query' || type === 'mutation') targets.push({ kind: 'trpc', procedure, type });
	}
	return targets;
}
