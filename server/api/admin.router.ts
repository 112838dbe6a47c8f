import { eraseInput, mergeInput, searchInput, setRoleInput, userIdInput } from '../../src/lib/contracts/people';
import type { AdminActor } from '../domain/shared/admin-audit';
import { loginLinkPath } from '../domain/identity/login-links';
import { createLoginLinkFor, searchUsers, setRole } from '../domain/people/people-admin';
import { eraseUser, mergeUsers } from '../domain/people/people-merge';
import { badgeUsers, kioskInput, locationInput, locationUpdate, positiveId } from '../../src/lib/contracts/kiosk';
import { issueBadges, revokeBadges } from '../domain/kiosk/badges';
import { createKiosk, listKiosks, reissuePairingCode, revokeKiosk, type KioskView } from '../domain/kiosk/kiosks';
import { createLocation, deleteLocation, listLocations, updateLocation } from '../domain/kiosk/locations';
import { z } from 'zod';
import type { Context, SessionUser } from './context';
import { adminProcedure, router } from './trpc';
import { reportsRouter } from './reports.router';
import { broadcastsRouter, webhooksRouter } from './notifications.router';

const actor = (ctx: Context & { user: SessionUser }): AdminActor => ({ id: ctx.user.id, request: ctx.request });

const userView = (u: { id: number; username: string; firstName: string; lastName: string; role: string }) => ({
	id: u.id,
	username: u.username,
	firstName: u.firstName,
	lastName: u.lastName,
	role: u.role,
});

const kioskView = (k: KioskView) => ({
	...k,
	pairedAt: k.pairedAt?.toISOString() ?? null,
	lastSeenAt: k.lastSeenAt?.toISOString() ?? null,
	revokedAt: k.revokedAt?.toISOString() ?? null,
	pairingCodeExpiresAt: k.pairingCodeExpiresAt?.toISOString() ?? null,
});
const pairingView = (p: { code: string; expiresAt: Date }) => ({ code: p.code, expiresAt: p.expiresAt.toISOString() });
const byId = z.object({ id: positiveId });

export const adminRouter = router({
	reports: reportsRouter,
	webhooks: webhooksRouter,
	broadcasts: broadcastsRouter,
	locations: router({
		list: adminProcedure.query(() => listLocations()),
		create: adminProcedure.input(locationInput).mutation(({ ctx, input }) => createLocation(input, actor(ctx))),
		update: adminProcedure.input(locationUpdate).mutation(({ ctx, input }) => updateLocation(input.id, input, actor(ctx))),
		delete: adminProcedure.input(byId).mutation(async ({ ctx, input }) => {
			await deleteLocation(input.id, actor(ctx));
			return { deleted: input.id };
		}),
	}),
	kiosks: router({
		list: adminProcedure.query(async () => (await listKiosks()).map(kioskView)),
		/** The pairing code is answered once; only its keyed hash is kept. */
		create: adminProcedure.input(kioskInput).mutation(async ({ ctx, input }) => {
			const { kiosk, pairing } = await createKiosk({ name: input.name, locationId: input.locationId ?? null }, actor(ctx));
			return { kiosk: kioskView(kiosk), pairing: pairingView(pairing) };
		}),
		reissueCode: adminProcedure.input(byId).mutation(async ({ ctx, input }) => pairingView(await reissuePairingCode(input.id, actor(ctx)))),
		revoke: adminProcedure.input(byId).mutation(async ({ ctx, input }) => {
			await revokeKiosk(input.id, actor(ctx));
			return { revoked: input.id };
		}),
	}),
	badges: router({
		/** New badges (the old ones stop working); the secrets are for printing right away. */
		issue: adminProcedure.input(badgeUsers).mutation(async ({ ctx, input }) =>
			(await issueBadges(input.userIds, actor(ctx))).map((b) => ({ userId: b.userId, badgeHash: b.badgeHash, path: `/b/${b.secret}` })),
		),
		revoke: adminProcedure.input(badgeUsers).mutation(async ({ ctx, input }) => ({ revoked: await revokeBadges(input.userIds, actor(ctx)) })),
	}),
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
