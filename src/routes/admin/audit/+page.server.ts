import type { PageServerLoad } from './$types';
import { auditLogActions, auditLogPage, auditLogQuery } from '$server/domain/shared/audit-log';
import { auditSources } from '$server/db/models/attendance.model';
import { actionLabels, entryView, sourceLabels } from '$server/web/audit-view';
import { requireAdmin } from '$server/web/guards';

const filterNames = ['actor', 'subject', 'action', 'source', 'from', 'to'] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals.user, url);
	const raw = Object.fromEntries(['before', ...filterNames].map((name) => [name, url.searchParams.get(name) ?? undefined]));
	const filters = Object.fromEntries(filterNames.map((name) => [name, url.searchParams.get(name) ?? '']));
	const options = {
		actions: auditLogActions.map((value) => ({ value, label: actionLabels[value] })),
		sources: auditSources.map((value) => ({ value, label: sourceLabels[value] })),
	};
	const parsed = auditLogQuery.safeParse(raw);
	if (!parsed.success) return { filters, options, error: parsed.error.issues[0]!.message, entries: [], olderHref: null, newestHref: null };
	const page = await auditLogPage(parsed.data);
	const withFilters = (extra: Record<string, string>) => {
		const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
		for (const [key, value] of Object.entries(extra)) params.set(key, value);
		const query = params.toString();
		return `/admin/audit${query ? `?${query}` : ''}`;
	};
	return {
		filters,
		options,
		error: null,
		entries: page.entries.map(entryView),
		olderHref: page.next ? withFilters({ before: String(page.next) }) : null,
		newestHref: parsed.data.before ? withFilters({}) : null,
	};
};
