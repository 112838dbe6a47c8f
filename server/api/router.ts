import { attendanceRouter } from './attendance.router';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
	attendance: attendanceRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
