import { PassThrough, Readable } from 'node:stream';
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { exportQuery } from '$lib/contracts/reports';
import { exportContentType, exportFileName, writeExport } from '$server/domain/exports/exports';
import { logger } from '$server/logger';
import { requireAdmin } from '$server/web/guards';

/** Streams the export as it is read from the database: the response starts before the last page is read. */
export const GET: RequestHandler = async ({ locals, url }) => {
	requireAdmin(locals.user, url);
	const parsed = exportQuery.safeParse(Object.fromEntries(['kind', 'format', 'from', 'to'].map((k) => [k, url.searchParams.get(k) ?? undefined])));
	if (!parsed.success) error(400, parsed.error.issues[0]!.message);
	const request = parsed.data;
	const body = new PassThrough();
	writeExport(request, body).catch((e: unknown) => {
		// Headers are gone already: cut the download short so it cannot pass for a whole file.
		logger().error({ err: e, export: request }, 'export failed');
		body.destroy(e instanceof Error ? e : new Error(String(e)));
	});
	return new Response(Readable.toWeb(body) as ReadableStream, {
		headers: {
			'content-type': exportContentType[request.format],
			'content-disposition': `attachment; filename="${exportFileName(request)}"`,
			'cache-control': 'no-store',
		},
	});
};
