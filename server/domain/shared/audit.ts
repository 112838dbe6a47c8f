import type { Transaction } from 'sequelize';
import { AuditRecord, type AuditSource } from '../../db/models/attendance.model';

/** Where an action came from; every sign-in, sign-out and login is stamped with one. */
export interface AuditInput {
	ip: string | null;
	userAgent: string | null;
	source: AuditSource;
	deviceId?: string | null;
}

export function writeAudit(input: AuditInput, at: Date, transaction: Transaction): Promise<AuditRecord> {
	return AuditRecord.create(
		{
			at,
			ip: input.ip?.slice(0, 64) ?? null,
			userAgent: input.userAgent?.slice(0, 512) ?? null,
			source: input.source,
			deviceId: input.deviceId ?? null,
		},
		{ transaction },
	);
}
