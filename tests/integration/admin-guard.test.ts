/**
 * Defence in depth for everything admin: the hook refuses every /admin path
 * (pages and their data requests) to staff and marshals and sends strangers
 * to log in; every admin form action and every admin tRPC procedure refuses
 * them too. Routes, actions and procedures are enumerated (from the file
 * tree and the router), so a new one is covered without editing this file.
 */
import { isHttpError, type RequestEvent } from '@sveltejs/kit';
import { expect, it } from 'vitest';
import { createContextInner, toSessionUser } from '../../server/api/context';
import { appRouter, createCaller } from '../../server/api/router';
import { AuditRecord, SignInRecord } from '../../server/db/models/attendance.model';
import { Badge, LoginToken, Session, User } from '../../server/db/models/people.model';
import { startSession } from '../../server/domain/identity/sessions';
import { getSetting } from '../../server/domain/shared/settings';
import { handle } from '../../src/hooks.server';
import { useTestDatabase } from './support/database';
import { newUser } from './support/factories';
import { trpcCode } from './support/people';

const db = await useTestDatabase();

type Action = (event: RequestEvent) => unknown;
const adminModules = import.meta.glob<{ actions?: Record<string, Action> }>('../../src/routes/admin/**/+page.server.ts', { eager: true });
/** `../../src/routes/admin/people/[id]/+page.server.ts` → `/admin/people/[id]`. */
const routeOf = (file: string) => file.replace('../../src/routes', '').replace(/\/\+page\.server\.ts$/, '');
const adminActions = Object.entries(adminModules).flatMap(([file, module]) =>
	Object.entries(module.actions ?? {}).map(([name, action]) => ({ route: routeOf(file), name, action })),
);
const adminProcedures = Object.keys(appRouter._def.procedures).filter((path) => path.startsWith('admin.'));

function formEvent(user: User, route: string, target: User): RequestEvent {
	const path = route.replace('[id]', String(target.id));
	// Every field some admin form reads, so an action that forgot its guard would change something.
	const body = new URLSearchParams({ role: 'admin', confirmUsername: target.username, declaration: 'Changed by a stranger', id: String(target.id), date: '2026-01-12', signIn: '09:00', signOut: '10:00', reason: 'a stranger', firstName: 'Mallory', lastName: 'Stranger' });
	const request = new Request(`http://register.test${path}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	return {
		request,
		url: new URL(request.url),
		params: { id: String(target.id) },
		locals: { user: toSessionUser(user), sessionToken: null },
		getClientAddress: () => '198.51.100.4',
		cookies: { get: () => undefined, set() {}, delete() {} },
	} as unknown as RequestEvent;
}

async function refusalOf(run: () => unknown): Promise<number> {
	try {
		await run();
	} catch (error) {
		if (isHttpError(error)) return error.status;
		throw error;
	}
	throw new Error('the action did not refuse');
}

async function expectUnchanged(target: User, declaration: string, sessions = 0) {
	expect(await SignInRecord.count({ where: { userId: target.id } })).toBe(0);
	expect(await Badge.count({ where: { userId: target.id } })).toBe(0);
	expect(await Session.count({ where: { userId: target.id } })).toBe(sessions);
	expect(await User.findByPk(target.id)).toMatchObject({ role: 'staff', username: target.username, firstName: target.firstName, lastName: target.lastName });
	expect(await LoginToken.count({ where: { userId: target.id } })).toBe(0);
	expect(await AuditRecord.count({ where: { subjectId: target.id, source: 'admin' } })).toBe(0);
	expect(await getSetting('declaration')).toBe(declaration);
}

db.describe(`admin refusals (${db.dialect})`, () => {
	it('finds the admin form actions and procedures to check', () => {
		expect(adminActions.map((a) => `${a.route}?/${a.name}`)).toEqual(
			expect.arrayContaining([
				'/admin/settings?/default',
				'/admin/people/[id]?/setRole',
				'/admin/people/[id]?/rename',
				'/admin/people/[id]?/createLink',
				'/admin/people/[id]?/revokeLink',
				'/admin/people/[id]?/erase',
				'/admin/people/[id]?/issueBadge',
				'/admin/people/[id]?/revokeBadge',
				'/admin/people/[id]?/endSession',
				'/admin/people/[id]?/endAllSessions',
				'/admin/people/[id]?/addVisit',
				'/admin/users/merge?/default',
				'/admin/webhooks?/add',
				'/admin/webhooks?/remove',
				'/admin/webhooks?/resend',
				'/admin/broadcast?/send',
			]),
		);
		expect(adminProcedures).toEqual(expect.arrayContaining(['admin.users.setRole', 'admin.users.merge', 'admin.users.erase', 'admin.loginLinks.create', 'admin.webhooks.add', 'admin.webhooks.sendAgain', 'admin.broadcasts.get']));
	});

	for (const role of ['staff', 'marshal'] as const) {
		it(`refuses a ${role} every admin form action with 403, changing nothing`, async () => {
			const someone = await newUser({ role });
			const declaration = await getSetting('declaration');
			for (const { route, name, action } of adminActions) {
				const target = await newUser();
				await startSession(target.id, 'their phone');
				expect({ action: `${route}?/${name}`, status: await refusalOf(() => action(formEvent(someone, route, target))) }).toEqual({ action: `${route}?/${name}`, status: 403 });
				await expectUnchanged(target, declaration, 1);
			}
		});

		it(`refuses a ${role} every admin tRPC procedure with FORBIDDEN, changing nothing`, async () => {
			const someone = await newUser({ role });
			const caller = createCaller(createContextInner({ user: toSessionUser(someone) }));
			const declaration = await getSetting('declaration');
			for (const path of adminProcedures) {
				const target = await newUser();
				const procedure = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;
				const input = { userId: target.id, userIds: [target.id, someone.id], role: 'admin', confirmUsername: target.username, query: '' };
				expect({ path, code: await trpcCode(procedure(input)) }).toEqual({ path, code: 'FORBIDDEN' });
				await expectUnchanged(target, declaration);
			}
		});
	}

	const adminPaths = (id: number) =>
		Object.keys(adminModules).flatMap((file) => {
			const path = routeOf(file).replace('[id]', String(id));
			return [path, `${path}/__data.json`];
		});

	async function throughHook(path: string, sessionToken: string | null): Promise<Response> {
		const request = new Request(`http://register.test${path}`);
		// SvelteKit hands the hook the page's URL without the data suffix.
		const url = new URL(request.url.replace(/\/__data\.json$/, ''));
		const event = {
			request,
			url,
			locals: {},
			cookies: { get: (name: string) => (name === 'register_session' ? (sessionToken ?? undefined) : undefined), set() {}, delete() {} },
			getClientAddress: () => '198.51.100.4',
		} as unknown as RequestEvent;
		return handle({ event, resolve: async () => new Response('the admin page') });
	}

	it('answers 403 at the hook to staff and marshals for every /admin path and data request', async () => {
		for (const role of ['staff', 'marshal'] as const) {
			const token = await startSession((await newUser({ role })).id, 'vitest');
			for (const path of adminPaths(1)) {
				const response = await throughHook(path, token);
				expect({ role, path, status: response.status }).toEqual({ role, path, status: 403 });
				expect(await response.text()).not.toContain('the admin page');
			}
		}
	});

	it('sends a stranger from every /admin path to the login page, coming back afterwards', async () => {
		for (const path of adminPaths(1)) {
			const response = await throughHook(path, null);
			const page = path.replace(/\/__data\.json$/, '');
			expect({ path, status: response.status, location: response.headers.get('location') }).toEqual({
				path,
				status: 303,
				location: `/login?next=${encodeURIComponent(page)}`,
			});
		}
	});

	it('lets an admin through to the page', async () => {
		const token = await startSession((await newUser({ role: 'admin' })).id, 'vitest');
		for (const path of adminPaths(1)) expect(await (await throughHook(path, token)).text()).toBe('the admin page');
	});
});
