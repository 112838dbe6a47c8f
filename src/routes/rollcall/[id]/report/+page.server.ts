import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { PageServerLoad } from './$types';
import { config } from '$server/config';
import { rollCallReport } from '$server/domain/rollcall/rollcall-views';
import { DomainError } from '$server/domain/shared/errors';
import { requireMarshalOrAdmin } from '$server/web/guards';
import { rollCallReportView } from '$server/web/rollcall-report-view';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireMarshalOrAdmin(locals.user, url);
	const id = z.uuid().safeParse(params.id);
	if (!id.success) error(404, 'No such roll call.');
	try {
		return { view: rollCallReportView(await rollCallReport(id.data), config().buildingTz) };
	} catch (failure) {
		if (failure instanceof DomainError && failure.code === 'not-found') error(404, 'No such roll call.');
		throw failure;
	}
};
