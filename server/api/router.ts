import { adminRouter } from './admin.router';
import { attendanceRouter } from './attendance.router';
import { kioskRouter } from './kiosk.router';
import { profileRouter } from './profile.router';
import { rollcallRouter } from './rollcall.router';
import { syncRouter } from './sync.router';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
	attendance: attendanceRouter,
	sync: syncRouter,
	profile: profileRouter,
	admin: adminRouter,
	kiosk: kioskRouter,
	rollcall: rollcallRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
