/** Admin reports and corrections over tRPC (issue 10): thin, zod at the door, the domain decides. */
import { z } from 'zod';
import { correctionInput, calendarDate, reportRange } from '../../src/lib/contracts/reports';
import { userId } from '../../src/lib/contracts/people';
import { correctRecord } from '../domain/attendance/corrections';
import { personReport, rangeReport, type DailyReport, type ReportRecord } from '../domain/attendance/report';
import type { Context, SessionUser } from './context';
import { adminProcedure, router } from './trpc';

const recordView = (r: ReportRecord) => ({
	id: r.id ?? null,
	signInAt: r.signInAt.toISOString(),
	signOutAt: r.signOutAt?.toISOString() ?? null,
	location: r.location ?? null,
	via: r.via ?? null,
	correction: r.correction ? { by: r.correction.by, at: r.correction.at.toISOString(), reason: r.correction.reason } : null,
});
const dayView = (d: DailyReport) => ({ date: d.date, signedInCount: d.signedInCount, people: d.people.map((p) => ({ ...p, records: p.records.map(recordView) })) });
const actor = (ctx: Context & { user: SessionUser }) => ({ id: ctx.user.id, request: ctx.request });

export const reportsRouter = router({
	day: adminProcedure.input(z.object({ date: calendarDate('The date') }).strict()).query(async ({ input }) => dayView((await rangeReport(input.date, input.date))[0]!)),
	range: adminProcedure.input(reportRange).query(async ({ input }) => (await rangeReport(input.from, input.to)).map(dayView)),
	person: adminProcedure.input(z.intersection(z.object({ userId }), reportRange)).query(async ({ input }) => {
		const { person, days } = await personReport(input.userId, input.from, input.to);
		return { person, days: days.map((d) => ({ date: d.date, records: d.records.map(recordView) })) };
	}),
	correct: adminProcedure.input(correctionInput).mutation(({ ctx, input }) => correctRecord(actor(ctx), input)),
});
