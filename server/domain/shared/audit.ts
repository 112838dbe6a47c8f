import type { Transaction } from 'sequelize';
import { AuditRecord, type AuditSource } from '../../db/models/attendance.model';

/** Where an action came from; every sign-in, sign-out and login is stamped with one. */
export interface AuditInput {
	ip: string | null;
	userAgent: string | null;
	source: AuditSource;
	deviceId?: string | null;
}

/** The columns of an audit record, cut to their sizes. */
export function auditValues(input: AuditInput, at: Date) {
	return { at, ip: input.ip?.slice(0, 64) ?? null, userAgent: input.userAgent?.slice(0, 512) ?? null, source: input.source, deviceId: input.deviceId ?? null };
}

export function writeAudit(input: AuditInput, at: Date, transaction: Transaction): Promise<AuditRecord> {
	return AuditRecord.create(auditValues(input, at), { transaction });
}
