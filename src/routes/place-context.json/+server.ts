/**
 * What the poster and presence pages need, as one JSON the service worker
 * keeps for offline use: the person, their status, the building's rules,
 * the declaration, and the directory of locations and kiosks.
 */
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { config } from '$server/config';
import { todayStatus } from '$server/domain/attendance/attendance';
import { placeDirectory } from '$server/domain/kiosk/locations';
import { getSetting, maxShiftMs } from '$server/domain/shared/settings';

export const GET: RequestHandler = async ({ locals }) => {
	const user = locals.user;
	if (!user) return json({ error: 'Please log in first.' }, { status: 401 });
	const [status, declaration, maxShift, directory] = await Promise.all([todayStatus(user.id), getSetting('declaration'), maxShiftMs(), placeDirectory()]);
	return json(
		{
			person: { userId: user.id, firstName: user.firstName },
			status: { date: status.date, signedIn: status.signedIn, since: status.since?.toISOString() ?? null, sinceTime: status.sinceTime },
			rules: { timeZone: config().buildingTz, maxShiftMs: maxShift },
			declaration,
			...directory,
		},
		{ headers: { 'cache-control': 'private, no-store' } },
	);
};
