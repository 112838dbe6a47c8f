/** Attendance inputs both the server and the browser speak. No Node or DOM imports. */
import { z } from 'zod';

const renderedDate = z.iso.date({ error: 'The page date is missing or not a date: please reload the page.' });
const actionId = z.uuid({ error: 'The action id must be a UUID.' });

/** tRPC: both fields optional for API clients that do not render pages. */
export const attendanceInput = z
	.object({ date: renderedDate.optional(), actionId: actionId.optional() })
	.strict()
	.default({});

/** The sign-in page's form: it always carries the date it was rendered for. */
export const attendanceForm = z.object({ date: renderedDate, actionId: actionId.optional() });

export type AttendanceInput = z.infer<typeof attendanceInput>;
