/**
 * "Did not sign out" (issue 11). At the end of the building day, records
 * still open past the maximum shift can no longer be closed by a sign-out
 * (the fold's rule), so they are flagged, with no invented sign-out time.
 * The next morning the person gets a link to say when they left; the link
 * is a signed token (HS256 under a key derived from the server key) naming
 * that one record and that one purpose, valid for a week, and what it
 * records is a correction fact like an admin's (corrections.ts), with the
 * person as the one who corrected it.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import { Op } from 'sequelize';
import { SignInRecord } from '../../db/models/attendance.model';
import { localDateTimeIn } from '../../../src/lib/contracts/building-time';
import { config } from '../../config';
import { keyedHash } from '../identity/secrets';
import type { AuditInput } from '../shared/audit';
import { now as clockNow } from '../shared/clock';
import { DomainError } from '../shared/errors';
import { maxShiftMs } from '../shared/settings';
import { correctRecord } from './corrections';

const PURPOSE = 'left-at';
export const LEFT_LINK_DAYS = 7;

/** Flags every open record older than the maximum shift that is not flagged yet; answers how many. */
export async function flagUnclosedRecords(now = clockNow()): Promise<number> {
	const before = new Date(now.getTime() - (await maxShiftMs()));
	const [flagged] = await SignInRecord.update(
		{ didNotSignOutAt: now },
		{ where: { signOutAt: { [Op.is]: null }, didNotSignOutAt: { [Op.is]: null }, signInAt: { [Op.lt]: before } } },
	);
	return flagged;
}

const signingKey = () => new TextEncoder().encode(keyedHash('left-at-link-key-v1'));

/** The path of the "I left at…" page for one flagged record. */
export async function leftAtPath(record: Pick<SignInRecord, 'id' | 'userId' | 'signInAt'>, now = clockNow()): Promise<string> {
	const issued = Math.floor(now.getTime() / 1000);
	const token = await new SignJWT({ pur: PURPOSE, rid: record.id, sia: record.signInAt.getTime() })
		.setProtectedHeader({ alg: 'HS256' })
		.setSubject(String(record.userId))
		.setIssuedAt(issued)
		.setExpirationTime(issued + LEFT_LINK_DAYS * 86_400)
		.sign(signingKey());
	return `/left/${token}`;
}

export interface LeftAtRecord {
	recordId: number;
	userId: number;
	date: string;
	signInAt: Date;
	/** The sign-in as a building-local "YYYY-MM-DDTHH:MM", the earliest a sign-out can be. */
	signInLocal: string;
}

const refused = () => new DomainError('not-found', 'This link is not valid or has expired. Ask an admin to correct your record.');

/** The record a link names, if the link is genuine, unexpired, for this purpose, and the record still waits for a sign-out. */
export async function recordForLeftLink(token: string, now = clockNow()): Promise<LeftAtRecord> {
	let payload;
	try {
		({ payload } = await jwtVerify(token, signingKey(), { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'], currentDate: now }));
	} catch (error) {
		if (error instanceof errors.JOSEError) throw refused();
		throw error;
	}
	if (payload.pur !== PURPOSE || typeof payload.rid !== 'number' || typeof payload.sia !== 'number') throw refused();
	const record = await SignInRecord.findByPk(payload.rid);
	if (!record || String(record.userId) !== payload.sub || record.signInAt.getTime() !== payload.sia) throw refused();
	if (record.signOutAt) throw new DomainError('conflict', 'This visit has a sign-out time already: nothing more to do.');
	return { recordId: record.id, userId: record.userId, date: record.date, signInAt: record.signInAt, signInLocal: localDateTimeIn(config().buildingTz, record.signInAt) };
}

/** Records when the person says they left ("YYYY-MM-DDTHH:MM", building time), as a correction by themselves. */
export async function recordLeftAt(token: string, leftAt: string, request: Omit<AuditInput, 'source' | 'deviceId'>, now = clockNow()) {
	const record = await recordForLeftLink(token, now);
	return correctRecord(
		{ id: record.userId, request },
		{ recordId: record.recordId, signIn: record.signInLocal, signOut: leftAt, reason: 'Did not sign out: said when they left, from their reminder link.' },
		now,
	);
}
