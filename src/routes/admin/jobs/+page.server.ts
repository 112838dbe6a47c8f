import type { PageServerLoad } from './$types';
import { jobHistory } from '$server/domain/notifications/job-history';
import { getSettings } from '$server/domain/shared/settings';
import { momentInWords } from '$server/domain/shared/clock';
import { requireAdmin } from '$server/web/guards';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals.user, url);
	const [history, settings] = await Promise.all([jobHistory(), getSettings()]);
	return {
		times: { reminder: settings.reminderTime, reminderPm: settings.reminderPmTime, dayEnd: settings.dayEndTime, retentionDays: settings.retentionDays },
		runs: history.runs.map((r) => ({ ...r, startedAt: momentInWords(r.startedAt), finishedAt: r.finishedAt ? momentInWords(r.finishedAt) : null })),
		failures: history.failures,
	};
};
