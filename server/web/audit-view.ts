/** The audit log in the words of the page: labels for actions and sources, details as text. */
import type { AuditEntry, AuditLogAction } from '../domain/shared/audit-log';

export const actionLabels: Record<AuditLogAction | 'request', string> = {
	'role-changed': 'Changed role',
	'name-changed': 'Changed a name',
	'users-merged': 'Merged people',
	'user-erased': 'Erased a person',
	'login-link-created': 'Created a login link',
	'login-link-revoked': 'Revoked a login link',
	'setting-changed': 'Changed a setting',
	'location-created': 'Created a location',
	'location-changed': 'Changed a location',
	'location-deleted': 'Deleted a location',
	'kiosk-created': 'Created a kiosk',
	'kiosk-code-issued': 'Issued a kiosk pairing code',
	'kiosk-revoked': 'Revoked a kiosk',
	'badges-issued': 'Issued badges',
	'badges-revoked': 'Revoked badges',
	'record-corrected': 'Corrected a record',
	'visit-added': 'Added a visit',
	'sessions-ended': 'Logged a person out',
	'webhook-added': 'Added a webhook',
	'webhook-removed': 'Removed a webhook',
	'webhook-resent': 'Sent a webhook again',
	'broadcast-sent': 'Sent a broadcast',
	'sign-in': 'Signed in',
	'sign-out': 'Signed out',
	'logged-in': 'Logged in',
	request: 'Request',
};

export const sourceLabels: Record<AuditEntry['source'], string> = {
	web: 'Phone or browser',
	kiosk: 'Kiosk',
	poster: 'Entrance poster',
	app: 'Mobile app',
	sync: 'Offline sync',
	cli: 'Command line',
	admin: 'Admin pages',
};

const short = (value: unknown) => {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return text.length > 80 ? `${text.slice(0, 79)}…` : text;
};

/** "declaration: “old” → “new”" for a setting; "key: value" pairs otherwise. */
export function detailsText(entry: AuditEntry): string {
	const d = entry.details;
	if (entry.action === 'setting-changed') return `${String(d.setting)}: “${short(d.from)}” → “${short(d.to)}”`;
	return Object.entries(d)
		.map(([key, value]) => `${key}: ${short(value)}`)
		.join('; ');
}

export function entryView(entry: AuditEntry) {
	return {
		id: entry.id,
		at: entry.at,
		when: `${entry.date} ${entry.time}`,
		actor: entry.actor?.name ?? '—',
		action: actionLabels[entry.action],
		subject: entry.subject?.name ?? '—',
		source: sourceLabels[entry.source],
		ip: entry.ip ?? '—',
		device: entry.deviceId ?? null,
		browser: entry.userAgent ? short(entry.userAgent) : null,
		details: detailsText(entry),
	};
}
