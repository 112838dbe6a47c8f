/** The admin behind a form action, checked, with the request facts their audit records carry. */
import type { RequestEvent } from '@sveltejs/kit';
import type { AdminActor } from '../domain/shared/admin-audit';
import { requireAdmin } from './guards';
import { auditFrom } from './request';

export function adminActor(event: Pick<RequestEvent, 'locals' | 'url' | 'request' | 'getClientAddress'>): AdminActor {
	const admin = requireAdmin(event.locals.user, event.url);
	const { ip, userAgent } = auditFrom(event as RequestEvent, 'admin');
	return { id: admin.id, request: { ip, userAgent } };
}
