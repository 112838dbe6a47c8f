import { attendanceInput } from '../../src/lib/contracts/attendance';
import { recordAttendance, todayStatus, type AttendanceKind, type TodayStatus } from '../domain/attendance/attendance';
import type { Context, SessionUser } from './context';
import { authedProcedure, router } from './trpc';

const statusView = (s: TodayStatus) => ({
	date: s.date,
	signedIn: s.signedIn,
	since: s.since?.toISOString() ?? null,
	sinceTime: s.sinceTime,
});

function record(kind: AttendanceKind, ctx: Context & { user: SessionUser }, input: { date?: string; actionId?: string }) {
	return recordAttendance({
		userId: ctx.user.id,
		kind,
		audit: ctx.request,
		actionId: input.actionId,
		renderedDate: input.date,
	}).then((r) => ({ outcome: r.outcome, message: r.message, status: statusView(r.status) }));
}

export const attendanceRouter = router({
	status: authedProcedure.query(async ({ ctx }) => statusView(await todayStatus(ctx.user.id))),
	signIn: authedProcedure.input(attendanceInput).mutation(({ ctx, input }) => record('sign-in', ctx, input)),
	signOut: authedProcedure.input(attendanceInput).mutation(({ ctx, input }) => record('sign-out', ctx, input)),
});
