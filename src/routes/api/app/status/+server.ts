import type { RequestHandler } from './$types';
import { appStatusResponse } from '$server/legacy/app-api';
import { auditFrom } from '$server/web/request';

/** The original mobile app's status, sign in ("enter") and sign out ("exit"); see server/legacy/app-api.ts. */
export const GET: RequestHandler = (event) => appStatusResponse(event.request, auditFrom(event, 'app'));
export const POST: RequestHandler = (event) => appStatusResponse(event.request, auditFrom(event, 'app'));
