import { nameInput, remindersInput } from '../../src/lib/contracts/people';
import { contactsOf, remindersOn, renameUser, setReminders } from '../domain/people/profile';
import { endOtherSessions, listSessions } from '../domain/identity/sessions';
import { toSessionUser } from './context';
import { authedProcedure, router } from './trpc';
import { pushEndpointInput, pushSubscriptionInput } from '../../src/lib/contracts/notifications';
import { sendTestPush, subscribe, unsubscribe } from '../domain/notifications/push-subscriptions';

export const profileRouter = router({
	me: authedProcedure.query(async ({ ctx }) => ({
		...ctx.user,
		contacts: (await contactsOf(ctx.user.id)).map((c) => ({
			id: c.id,
			method: c.method,
			value: c.value,
			lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
		})),
	})),
	updateName: authedProcedure.input(nameInput).mutation(async ({ ctx, input }) => toSessionUser(await renameUser(ctx.user.id, input))),
	sessions: authedProcedure.query(async ({ ctx }) =>
		(await listSessions(ctx.user.id, ctx.sessionToken ?? null)).map((s) => ({
			userAgent: s.userAgent,
			createdAt: s.createdAt.toISOString(),
			lastSeenAt: s.lastSeenAt.toISOString(),
			current: s.current,
		})),
	),
	/** Notifications on this device (Web Push): the browser's subscription, kept for this person. */
	push: router({
		subscribe: authedProcedure.input(pushSubscriptionInput).mutation(async ({ ctx, input }) => {
			await subscribe(ctx.user.id, input);
			return { subscribed: true };
		}),
		unsubscribe: authedProcedure.input(pushEndpointInput).mutation(async ({ ctx, input }) => {
			await unsubscribe(ctx.user.id, input.endpoint);
			return { subscribed: false };
		}),
		test: authedProcedure.input(pushEndpointInput).mutation(({ ctx, input }) => sendTestPush(ctx.user.id, input.endpoint)),
	}),
	reminders: authedProcedure.query(async ({ ctx }) => ({ on: await remindersOn(ctx.user.id) })),
	setReminders: authedProcedure.input(remindersInput).mutation(async ({ ctx, input }) => ({ on: await setReminders(ctx.user.id, input.on) })),
	signOutOtherDevices: authedProcedure.mutation(async ({ ctx }) => ({
		ended: await endOtherSessions(ctx.user.id, ctx.sessionToken ?? null),
	})),
});
