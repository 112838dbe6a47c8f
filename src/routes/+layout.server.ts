import type { LayoutServerLoad } from './$types';
import { getSetting } from '$server/domain/shared/settings';

export const load: LayoutServerLoad = async ({ locals }) => ({
	// An admin setting (BUILDING_NAME until one is saved).
	buildingName: await getSetting('buildingName'),
	user: locals.user ? { id: locals.user.id, firstName: locals.user.firstName, role: locals.user.role } : null,
});
