/**
 * `sync.push` takes one batch and hands each action to the handler of its
 * kind (DESIGN §2): sign-ins and sign-outs to the phone's handler (sync.ts),
 * kiosk scans to the kiosk's (kiosk-scan.ts), a marshal's roll-call actions
 * to theirs (rollcall-actions.ts). Answers keep the batch's order.
 * A phone's actions need a user session; a kiosk's need its credential: a
 * kiosk cookie never stands in for a person, nor a session for a kiosk.
 */
import type { KioskPushReply } from '../../../src/lib/contracts/kiosk-protocol';
import type { SyncPushReply, SyncResult } from '../../../src/lib/contracts/sync-protocol';
import { todayStatus } from '../attendance/attendance';
import { kioskForCredential } from '../kiosk/kiosks';
import type { AuditInput } from '../shared/audit';
import { rejected } from './apply-facts';
import { pushKioskScans } from './kiosk-scan';
import { isRollCallAction, pushRollCallActions } from './rollcall-actions';
import { idOf, pushActions } from './sync';

export interface PushCallers {
	userId: number | null;
	kioskCredential: string | null;
	request: Omit<AuditInput, 'source' | 'deviceId'>;
}

const isKioskScan = (raw: unknown) => (raw as { kind?: unknown } | null)?.kind === 'kiosk-scan';

export async function pushBatch(callers: PushCallers, rawActions: unknown[], now = new Date()): Promise<SyncPushReply | KioskPushReply> {
	const scans: Array<{ index: number; raw: unknown }> = [];
	const rollCall: Array<{ index: number; raw: unknown }> = [];
	const phone: Array<{ index: number; raw: unknown }> = [];
	rawActions.forEach((raw, index) => (isKioskScan(raw) ? scans : isRollCallAction(raw) ? rollCall : phone).push({ index, raw }));
	const results = new Array<SyncResult>(rawActions.length);

	if (rollCall.length) {
		const byKiosk = callers.userId === null && (await kioskForCredential(callers.kioskCredential)).state === 'live';
		const answers = await pushRollCallActions(byKiosk ? { kind: 'kiosk' } : { kind: 'person', userId: callers.userId }, rollCall.map((r) => r.raw), now);
		rollCall.forEach((r, i) => (results[r.index] = answers[i]!));
	}
	if (scans.length) {
		const kiosk = await kioskForCredential(callers.kioskCredential);
		const reply = await pushKioskScans({ kiosk, request: callers.request }, scans.map((s) => s.raw), now);
		scans.forEach((s, i) => (results[s.index] = reply.results[i]!));
	}
	if (callers.userId === null) {
		for (const p of phone) results[p.index] = rejected(idOf(p.raw), 'unauthenticated');
		return { results };
	}
	if (phone.length === 0) {
		const status = await todayStatus(callers.userId, now);
		return { results, status: { date: status.date, signedIn: status.signedIn, since: status.since?.toISOString() ?? null, sinceTime: status.sinceTime } };
	}
	const reply = await pushActions({ userId: callers.userId, request: callers.request }, phone.map((p) => p.raw), now);
	phone.forEach((p, i) => (results[p.index] = reply.results[i]!));
	return { results, status: reply.status };
}
