import type { LayoutServerLoad } from './$types';
import { config } from '$server/config';

export const load: LayoutServerLoad = ({ locals }) => ({
	buildingName: config().buildingName,
	user: locals.user ? { id: locals.user.id, firstName: locals.user.firstName, role: locals.user.role } : null,
});
