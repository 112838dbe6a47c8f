import { randomUUID } from 'node:crypto';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { recordAttendance, todayStatus, type AttendanceKind } from '$server/domain/attendance/attendance';
import { getSetting, maxShiftMs } from '$server/domain/shared/settings';
import { config } from '$server/config';
import { formAction, parseForm, readForm } from '$server/web/forms';
import { requireUser } from '$server/web/guards';
import { auditFrom } from '$server/web/request';
import { attendanceForm } from '$lib/contracts/attendance';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals.user, url);
	const [status, declaration, maxShift] = await Promise.all([todayStatus(user.id), getSetting('declaration'), maxShiftMs()]);
	return {
		userId: user.id,
		timeZone: config().buildingTz,
		maxShiftMs: maxShift,
		firstName: user.firstName,
		isAdmin: user.role === 'admin',
		status: { date: status.date, signedIn: status.signedIn, since: status.since?.toISOString() ?? null, sinceTime: status.sinceTime },
		declaration,
		// A fresh id per render: submitting the same form twice records one action.
		actionId: randomUUID(),
	};
};

function attendanceAction(kind: AttendanceKind) {
	return async (event: RequestEvent) => {
		const user = requireUser(event.locals.user, event.url);
		const form = await readForm(event);
		return formAction(async () => {
			const input = parseForm(attendanceForm, form, ['date', 'actionId']);
			const result = await recordAttendance({
				userId: user.id,
				kind,
				audit: auditFrom(event),
				actionId: input.actionId,
				renderedDate: input.date,
			});
			return { message: result.message };
		});
	};
}

export const actions: Actions = {
	signIn: attendanceAction('sign-in'),
	signOut: attendanceAction('sign-out'),
};
