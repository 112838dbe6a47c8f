import { pairInput, resumeInput, rosterInput } from '../../src/lib/contracts/kiosk';
import { kioskForCredential, recordContact } from '../domain/kiosk/kiosks';
import { pairKiosk, placeOf } from '../domain/kiosk/pairing';
import { rateLimits } from '../domain/identity/rate-limits';
import { kioskRoster } from '../domain/kiosk/roster';
import { openRollCallForKiosk } from '../domain/rollcall/roll-calls';
import { TRPCError } from '@trpc/server';
import { kioskProcedure, publicProcedure, router } from './trpc';

export const kioskRouter = router({
	/** A tablet trades an admin's one-time code for its credential (cookie and reply) and presence secret. */
	pair: publicProcedure.input(pairInput).mutation(async ({ ctx, input }) => {
		const requester = { ip: ctx.request.ip };
		await rateLimits().consume('kiosk-pair', requester);
		const pairing = await pairKiosk(input.code);
		await rateLimits().refund('kiosk-pair', requester);
		ctx.setKioskCookie(pairing.credential);
		return pairing;
	}),
	/** Sets the credential cookie again from the tablet's IndexedDB copy. */
	resume: publicProcedure.input(resumeInput).mutation(async ({ ctx, input }) => {
		const found = await kioskForCredential(input.credential);
		if (found.state === 'unknown') throw new TRPCError({ code: 'UNAUTHORIZED', message: 'kiosk-unpaired' });
		if (found.state === 'revoked') throw new TRPCError({ code: 'FORBIDDEN', message: 'kiosk-revoked' });
		ctx.setKioskCookie(input.credential);
		return { kiosk: { id: found.kiosk.id, name: found.kiosk.name }, location: await placeOf(found.kiosk.locationId) };
	}),
	/** Today's roster for the tablet's offline checks; also its heartbeat (last contact, waiting actions). */
	roster: kioskProcedure.input(rosterInput).query(async ({ ctx, input }) => {
		await recordContact(ctx.kiosk.id, input.waiting);
		return kioskRoster(ctx.kiosk);
	}),
	/** The open fire roll call, or null: polled every few seconds so the tablet turns to its evacuation screen at once. */
	rollCall: kioskProcedure.query(() => openRollCallForKiosk()),
});
