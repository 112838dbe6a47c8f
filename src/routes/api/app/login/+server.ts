import type { RequestHandler } from './$types';
import { appLoginResponse } from '$server/legacy/app-api';
import { auditFrom } from '$server/web/request';

/** The original mobile app's login with a Microsoft Graph token (see server/legacy/app-api.ts). */
export const POST: RequestHandler = (event) => appLoginResponse(event.request, auditFrom(event, 'app'));
