/**
 * The procedure builders the routers may use, and nothing else: each one
 * maps domain refusals to tRPC errors and narrows `ctx.user` as its name says.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { isDatabaseOutage, outageMessage } from '../db/outage';
import { DomainError } from '../domain/shared/errors';
import { kioskForCredential } from '../domain/kiosk/kiosks';
import type { Context } from './context';
import { trpcCodeFor } from './errors';

const t = initTRPC.context<Context>().create({
	errorFormatter({ shape, error }) {
		const field = error.cause instanceof DomainError ? error.cause.field : undefined;
		// A 500's own text can carry SQL or file paths: clients get a fixed sentence (the log has the rest).
		const message = error.code === 'INTERNAL_SERVER_ERROR' ? internalMessage : shape.message;
		return { ...shape, message, data: { ...shape.data, stack: undefined, field, domainCode: domainCodeOf(error.cause) } };
	},
});

const internalMessage = 'Something went wrong on our side. Please try again.';

function domainCodeOf(cause: unknown) {
	return cause instanceof DomainError ? cause.code : undefined;
}

const mapDomainErrors = t.middleware(async ({ next }) => {
	const result = await next();
	if (!result.ok && result.error.cause instanceof DomainError) {
		const cause = result.error.cause;
		throw new TRPCError({ code: trpcCodeFor[cause.code], message: cause.message, cause });
	}
	if (!result.ok && isDatabaseOutage(result.error.cause)) {
		throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: outageMessage, cause: result.error.cause });
	}
	return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(mapDomainErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
	if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please log in first.' });
	return next({ ctx: { ...ctx, user: ctx.user } });
});

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
	if (ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'Only admins can do that.' });
	return next({ ctx });
});

/** Fire marshals and admins: the roll call. */
export const marshalProcedure = authedProcedure.use(({ ctx, next }) => {
	if (ctx.user.role !== 'marshal' && ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'Only fire marshals and admins can do that.' });
	return next({ ctx });
});

/**
 * A paired kiosk, by its credential cookie. It does not pass `authedProcedure`
 * (no user) nor the admin guard: it can only read its roster (and push its
 * scans, which `sync.push` checks itself). Messages are the contract's reasons.
 */
export const kioskProcedure = publicProcedure.use(async ({ ctx, next }) => {
	const found = await kioskForCredential(ctx.kioskCredential);
	if (found.state === 'unknown') throw new TRPCError({ code: 'UNAUTHORIZED', message: 'kiosk-unpaired' });
	if (found.state === 'revoked') throw new TRPCError({ code: 'FORBIDDEN', message: 'kiosk-revoked' });
	return next({ ctx: { ...ctx, kiosk: found.kiosk } });
});
