/**
 * Admin actions leave an audit record written in the same transaction as their
 * effect: who acted, what they did, to whom, and the facts worth keeping.
 */
import type { Transaction } from 'sequelize';
import { transaction } from '../../db/database';
import { AuditRecord } from '../../db/models/attendance.model';
import type { AuditInput } from './audit';

export const adminActions = [
	'role-changed',
	'name-changed',
	'users-merged',
	'user-erased',
	'login-link-created',
	'login-link-revoked',
	'location-created',
	'location-changed',
	'location-deleted',
	'kiosk-created',
	'kiosk-code-issued',
	'kiosk-revoked',
	'badges-issued',
	'badges-revoked',
	'record-corrected',
	'visit-added',
	'sessions-ended',
	'setting-changed',
	'webhook-added',
	'webhook-removed',
	'webhook-resent',
	'broadcast-sent',
] as const;
export type AdminAction = (typeof adminActions)[number];

export interface AdminActor {
	id: number;
	/** Where the request came from (IP and browser), as for every audit record. */
	request: Omit<AuditInput, 'source' | 'deviceId'>;
}

export function writeAdminAudit(
	actor: AdminActor,
	action: AdminAction,
	subjectId: number | null,
	details: Record<string, unknown>,
	t: Transaction,
	at = new Date(),
): Promise<AuditRecord> {
	return AuditRecord.create(
		{
			at,
			ip: actor.request.ip?.slice(0, 64) ?? null,
			userAgent: actor.request.userAgent?.slice(0, 512) ?? null,
			source: 'admin',
			deviceId: null,
			actorId: actor.id,
			action,
			subjectId,
			details: JSON.stringify(details),
		},
		{ transaction: t },
	);
}

/**
 * Runs an admin's change in one transaction with its audit record; without
 * an actor (the CLI, test set-up) the change runs alone, unaudited.
 */
export async function audited<T>(
	actor: AdminActor | undefined,
	action: AdminAction,
	work: (t: Transaction) => Promise<T>,
	record: (result: T) => { subjectId?: number | null; details: Record<string, unknown> },
): Promise<T> {
	return transaction(async (t) => {
		const result = await work(t);
		if (actor) {
			const { subjectId = null, details } = record(result);
			await writeAdminAudit(actor, action, subjectId, details, t);
		}
		return result;
	});
}

export interface AdminAuditView {
	at: Date;
	action: string;
	actorId: number | null;
	subjectId: number | null;
	details: Record<string, unknown>;
}

export const adminAuditView = (r: AuditRecord): AdminAuditView => ({
	at: r.at,
	action: r.action ?? '',
	actorId: r.actorId,
	subjectId: r.subjectId,
	details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : {},
});
