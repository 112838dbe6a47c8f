import { eraseInput, mergeInput, searchInput, setRoleInput, userIdInput } from '../../src/lib/contracts/people';
import type { AdminActor } from '../domain/shared/admin-audit';
import { loginLinkPath } from '../domain/identity/login-links';
import { createLoginLinkFor, searchUsers, setRole } from '../domain/people/people-admin';
import { eraseUser, mergeUsers } from '../domain/people/people-merge';
import type { Context, SessionUser } from './context';
import { adminProcedure, router } from './trpc';

const actor = (ctx: Context & { user: SessionUser }): AdminActor => ({ id: ctx.user.id, request: ctx.request });

const userView = (u: { id: number; username: string; firstName: string; lastName: string; role: string }) => ({
	id: u.id,
	username: u.username,
	firstName: u.firstName,
	lastName: u.lastName,
	role: u.role,
});

export const adminRouter = router({
	users: router({
		search: adminProcedure.input(searchInput).query(async ({ input }) =>
			(await searchUsers(input.query)).map((u) => ({ ...userView(u), contacts: u.contacts, createdAt: u.createdAt.toISOString() })),
		),
		setRole: adminProcedure
			.input(setRoleInput)
			.mutation(async ({ ctx, input }) => userView(await setRole(actor(ctx), input.userId, input.role))),
		merge: adminProcedure.input(mergeInput).mutation(async ({ ctx, input }) => {
			const result = await mergeUsers(actor(ctx), input.userIds);
			return { kept: userView(result.kept), mergedIds: result.mergedIds, moved: result.moved };
		}),
		erase: adminProcedure.input(eraseInput).mutation(({ ctx, input }) => eraseUser(actor(ctx), input)),
	}),
	loginLinks: router({
		create: adminProcedure.input(userIdInput).mutation(async ({ ctx, input }) => {
			const token = await createLoginLinkFor(actor(ctx), input.userId);
			return { token, path: loginLinkPath(token) };
		}),
	}),
});
