/**
 * The mobile app's status call: optionally sign in ("enter") or out
 * ("exit"), optionally register the phone's push token, then report today's
 * state with a fresh app token.
 */
import { transaction } from '../db/database';
import { ContactDetail } from '../db/models/people.model';
import { recordAttendance, todayStatus, type TodayStatus } from '../domain/attendance/attendance';
import { issueAppToken, type AppUser } from './app-tokens';
import { writeAudit, type AuditInput } from '../domain/shared/audit';

export interface AppStatusRequest {
	action?: 'enter' | 'exit';
	pushToken?: string;
}

export interface AppStatus {
	user: AppUser;
	status: TodayStatus;
	/** True when this call's action changed the person's state. */
	updated: boolean;
	token: string;
}

/** A push token belongs to the phone's current user: it is moved over if someone else had it. */
export function storePushToken(userId: number, pushToken: string, audit: AuditInput, at = new Date()): Promise<void> {
	return transaction(async (t) => {
		const [contact] = await ContactDetail.findOrCreate({
			where: { method: 'pushtoken', value: pushToken },
			defaults: { method: 'pushtoken', value: pushToken, userId },
			transaction: t,
		});
		// Stamped like a login, because reminders go only to contact details that were used to log in.
		const record = await writeAudit(audit, at, t);
		await contact.update({ userId, auditId: record.id }, { transaction: t });
	});
}

export async function appStatus(user: AppUser, request: AppStatusRequest, audit: AuditInput, at = new Date()): Promise<AppStatus> {
	if (request.pushToken) await storePushToken(user.id, request.pushToken, audit, at);
	if (!request.action) return { user, status: await todayStatus(user.id, at), updated: false, token: await issueAppToken(user, at) };
	const kind = request.action === 'enter' ? 'sign-in' : 'sign-out';
	// The fold already knows the state it left: no read-your-own-write.
	const { outcome, status } = await recordAttendance({ userId: user.id, kind, audit, at });
	return { user, status, updated: outcome === 'applied', token: await issueAppToken(user, at) };
}
