import { attendanceRouter } from './attendance.router';
import { syncRouter } from './sync.router';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
	attendance: attendanceRouter,
	sync: syncRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
