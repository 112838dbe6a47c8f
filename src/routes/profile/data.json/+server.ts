import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { exportMyData } from '$server/domain/people/my-data';

/** "Download my data": the person's own data as a JSON file. */
export const GET: RequestHandler = async ({ locals }) => {
	if (!locals.user) return json({ error: 'Please log in first.' }, { status: 401 });
	const data = await exportMyData(locals.user.id);
	return json(data, {
		headers: {
			'content-disposition': `attachment; filename="building-register-${data.user.username}.json"`,
			'cache-control': 'no-store',
		},
	});
};
