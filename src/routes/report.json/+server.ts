import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { isCalendarDate, localDate } from '$server/domain/shared/clock';
import { dailyReport } from '$server/domain/attendance/report';
import { toLegacyReport } from '$server/legacy/report-json';

export const GET: RequestHandler = async ({ locals, url }) => {
	if (!locals.user) return json({ error: 'Please log in first.' }, { status: 401 });
	if (locals.user.role !== 'admin') return json({ error: 'Only admins can read the report.' }, { status: 403 });
	const date = url.searchParams.get('date') || localDate(new Date());
	if (!isCalendarDate(date)) return json({ error: 'date must be a date written YYYY-MM-DD.' }, { status: 400 });
	return json(toLegacyReport(await dailyReport(date)));
};
