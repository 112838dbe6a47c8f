/**
 * The `kiosk-scan` handler of `sync.push`: a kiosk's queued badge scans and
 * "Type your name" taps. The kiosk's credential authenticates (no user
 * session); each scan's subject is resolved (a live badge's owner, or the
 * named person, merged accounts followed) and its direction recorded for
 * that person as a fact from the kiosk (audit source `kiosk`, device
 * `kiosk-<id>`, the kiosk's location), folded like any other device's fact.
 *
 * A revoked kiosk's whole queue is refused (`kiosk-revoked`), an unknown
 * credential's too (`kiosk-unpaired`). A scan of an unknown badge, or of one
 * revoked before the scan happened, is refused; those refusals have no person
 * to be filed under, so they are not kept in the ledger and a resend is
 * judged again (with the same answer: badges are never un-revoked).
 */
import { config } from '../../config';
import { Action } from '../../db/models/attendance.model';
import { User, UserAlias } from '../../db/models/people.model';
import { kioskScanAction, type KioskScanAction } from '../../../src/lib/contracts/kiosk';
import type { KioskPushReply } from '../../../src/lib/contracts/kiosk-protocol';
import type { SyncResult } from '../../../src/lib/contracts/sync-protocol';
import { eventTime } from '../attendance/attendance-rules';
import type { NewFact } from '../attendance/fact-store';
import type { AuditInput } from '../shared/audit';
import { badgeOwners } from '../kiosk/badges';
import type { KioskCredentialState } from '../kiosk/kiosks';
import { applyFacts, recordRejection, rejected } from './apply-facts';
import { idOf } from './sync';

export interface KioskCaller {
	kiosk: KioskCredentialState;
	request: Omit<AuditInput, 'source' | 'deviceId'>;
}

export const kioskDevice = (kioskId: number) => `kiosk-${kioskId}`;

type Subject = { ok: true; userId: number } | { ok: false; reason: string };

/** Each scan's person, with one query for the badges, one for the named people and one for merged accounts. */
async function resolveSubjects(scans: KioskScanAction[]): Promise<Map<string, Subject>> {
	const hashes = scans.flatMap((s) => ('badgeHash' in s.subject ? [s.subject.badgeHash] : []));
	const named = [...new Set(scans.flatMap((s) => ('userId' in s.subject ? [s.subject.userId] : [])))];
	const [owners, users, aliases] = await Promise.all([
		badgeOwners(hashes),
		named.length ? User.findAll({ attributes: ['id'], where: { id: named } }) : [],
		named.length ? UserAlias.findAll({ where: { oldUserId: named } }) : [],
	]);
	const existing = new Set(users.map((u) => u.id));
	const mergedInto = new Map(aliases.map((a) => [a.oldUserId, a.userId]));
	const subjects = new Map<string, Subject>();
	for (const scan of scans) {
		if ('userId' in scan.subject) {
			const id = existing.has(scan.subject.userId) ? scan.subject.userId : mergedInto.get(scan.subject.userId);
			subjects.set(scan.id, id !== undefined ? { ok: true, userId: id } : { ok: false, reason: 'person-unknown' });
			continue;
		}
		const owner = owners.get(scan.subject.badgeHash)!;
		// A badge revoked after an offline scan was made still vouches for that scan.
		if (owner.state === 'live' || (owner.state === 'revoked' && owner.revokedAt.getTime() > new Date(scan.clientAt).getTime())) {
			subjects.set(scan.id, { ok: true, userId: owner.userId });
		} else subjects.set(scan.id, { ok: false, reason: owner.state === 'revoked' ? 'badge-revoked' : 'badge-unknown' });
	}
	return subjects;
}

/** Applies a kiosk's scans; `rawActions` are this batch's `kiosk-scan` entries with their positions. */
export async function pushKioskScans(caller: KioskCaller, rawActions: unknown[], now = new Date()): Promise<KioskPushReply> {
	const results = new Array<SyncResult>(rawActions.length);
	const { kiosk } = caller;
	if (kiosk.state !== 'live') {
		const reason = kiosk.state === 'revoked' ? 'kiosk-revoked' : 'kiosk-unpaired';
		return { results: rawActions.map((raw) => rejected(idOf(raw), reason)) };
	}
	const device = kioskDevice(kiosk.kiosk.id);
	const valid: Array<{ index: number; scan: KioskScanAction }> = [];
	rawActions.forEach((raw, index) => {
		const parsed = kioskScanAction.safeParse(raw);
		// The kiosk is the device, whatever the tablet wrote: its credential says which kiosk it is.
		if (parsed.success) valid.push({ index, scan: { ...parsed.data, deviceId: device } });
		else results[index] = rejected(idOf(raw), `malformed: ${parsed.error.issues[0]?.message ?? 'invalid action'}`);
	});
	const ids = [...new Set(valid.map((v) => v.scan.id))];
	const [ledger, subjects] = await Promise.all([
		ids.length ? Action.findAll({ where: { id: ids } }).then((rows) => new Map(rows.map((r) => [r.id, r]))) : new Map<string, Action>(),
		resolveSubjects(valid.map((v) => v.scan)),
	]);

	const freshByUser = new Map<number, NewFact[]>();
	const answered = new Map<string, SyncResult>();
	const pending = new Set<string>();
	for (const { index, scan } of valid) {
		const known = ledger.get(scan.id);
		const first = answered.get(scan.id);
		const subject = subjects.get(scan.id)!;
		let result: SyncResult | undefined;
		if (first || pending.has(scan.id)) result = first?.outcome === 'rejected' ? first : { id: scan.id, outcome: 'duplicate' };
		else if (known && known.deviceId !== device) result = rejected(scan.id, 'id-conflict');
		else if (known?.outcome === 'rejected') result = rejected(scan.id, known.reason ?? 'rejected');
		else if (known) result = { id: scan.id, outcome: 'duplicate' };
		else if (!subject.ok) result = rejected(scan.id, subject.reason);
		else {
			const time = eventTime(new Date(scan.clientAt), now, config().sync);
			if (!time.ok) result = await recordRejection(subject.userId, { ...scan, kind: scan.direction }, time.reason);
			else {
				const fact: NewFact = {
					id: scan.id,
					kind: scan.direction,
					at: time.at,
					clientAt: new Date(scan.clientAt),
					deviceId: device,
					seq: scan.seq ?? null,
					locationId: kiosk.kiosk.locationId,
				};
				(freshByUser.get(subject.userId) ?? freshByUser.set(subject.userId, []).get(subject.userId)!).push(fact);
				pending.add(scan.id);
			}
		}
		if (result) {
			results[index] = result;
			answered.set(scan.id, result);
		}
	}
	const outcomes = new Map<string, SyncResult>();
	for (const [userId, facts] of freshByUser) {
		const applied = await applyFacts({ userId, request: caller.request, source: 'kiosk' }, facts, now);
		for (const [id, result] of applied.results) outcomes.set(id, result);
	}
	valid.forEach(({ index, scan }) => (results[index] ??= outcomes.get(scan.id)!));
	return { results };
}
