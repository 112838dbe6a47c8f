/**
 * The building the HTTP benchmark runs against: 1,000 people with a browser
 * session and a mobile-app token each, one admin, and a day in progress
 * (everyone came in today; every other person is still in), so the report
 * has 1,000 people's records. People and sessions go through the domain and
 * its models in this process; the day's records and their facts are bulk
 * inserts of the rows a sign-in would have written.
 */
import { randomUUID } from 'node:crypto';
import { config, resetConfig, type DatabaseConfig } from '../server/config';
import { closeDatabase, openDatabase, prepareDatabase, transaction } from '../server/db/database';
import { Action, AuditRecord, SignInRecord } from '../server/db/models/attendance.model';
import { Session, type User } from '../server/db/models/people.model';
import { newToken, sha256 } from '../server/domain/identity/secrets';
import { SESSION_TTL_MS } from '../server/domain/identity/sessions';
import { createUser } from '../server/domain/people/users';
import { localDate } from '../server/domain/shared/clock';
import { issueAppToken } from '../server/legacy/app-tokens';

export interface BenchPerson {
	id: number;
	/** The `register_session` cookie value. */
	session: string;
	/** The mobile app's bearer token (HS256 JWT). */
	appToken: string;
	/** What the benchmark believes; it alternates sign-in and sign-out from here. */
	signedIn: boolean;
}

export interface Building {
	people: BenchPerson[];
	adminSession: string;
	date: string;
}

const BATCH = 100;

async function createPeople(count: number): Promise<User[]> {
	const users: User[] = [];
	for (let from = 0; from < count; from += BATCH) {
		const batch = await transaction(async (t) => {
			const made: User[] = [];
			for (let i = from; i < Math.min(count, from + BATCH); i++) made.push(await createUser({ firstName: `Bench${i}`, lastName: 'Person' }, t));
			return made;
		});
		users.push(...batch);
	}
	return users;
}

/** The rows `startSession` writes, in one insert. */
async function startSessions(userIds: number[], at: Date): Promise<string[]> {
	const tokens = userIds.map(() => newToken());
	const expiresAt = new Date(at.getTime() + SESSION_TTL_MS);
	await Session.bulkCreate(userIds.map((userId, i) => ({ idHash: sha256(tokens[i]!), userId, lastSeenAt: at, expiresAt, userAgent: 'bench' })));
	return tokens;
}

/** How long ago today's sign-ins were: two hours, or less when the day is younger than that. */
function earlierToday(now: Date): number {
	const today = localDate(now);
	return [2 * 3_600_000, 30 * 60_000, 5 * 60_000, 60_000, 0].find((ms) => localDate(new Date(now.getTime() - ms)) === today)!;
}

/** Everyone signed in `ago` ms before now; the odd ones signed out halfway since. */
async function seedDay(users: User[], now: Date): Promise<boolean[]> {
	const ago = earlierToday(now);
	const audit = await AuditRecord.create({ at: now, ip: null, userAgent: 'bench seed', source: 'cli', deviceId: null });
	const signedIn = users.map((_, i) => i % 2 === 0);
	const days = users.map((user, i) => {
		const signInAt = new Date(now.getTime() - ago + i);
		const signOutAt = signedIn[i] ? null : new Date(signInAt.getTime() + ago / 2);
		return { user, signInAt, signOutAt };
	});
	await SignInRecord.bulkCreate(
		days.map(({ user, signInAt, signOutAt }) => ({
			userId: user.id,
			date: localDate(signInAt),
			signInAt,
			signInAuditId: audit.id,
			signOutAt,
			signOutAuditId: signOutAt ? audit.id : null,
		})),
	);
	const fact = (userId: number, kind: 'sign-in' | 'sign-out', at: Date) => ({
		id: randomUUID(),
		userId,
		deviceId: null,
		kind,
		clientAt: at,
		receivedAt: at,
		outcome: 'applied' as const,
		reason: null,
		at,
		deviceSeq: null,
		auditId: audit.id,
	});
	await Action.bulkCreate(
		days.flatMap(({ user, signInAt, signOutAt }) => [fact(user.id, 'sign-in', signInAt), ...(signOutAt ? [fact(user.id, 'sign-out', signOutAt)] : [])]),
	);
	return signedIn;
}

/** Migrates `target` and fills it; the database is closed again before the app opens it. */
export async function seedBuilding(target: DatabaseConfig, jwtSecret: string, count: number): Promise<Building> {
	const base = config();
	resetConfig({ database: target, logLevel: 'silent', legacyApp: { ...base.legacyApp, jwtSecret } });
	openDatabase(target);
	try {
		await prepareDatabase();
		const now = new Date();
		const users = await createPeople(count);
		const admin = await transaction((t) => createUser({ firstName: 'Bench', lastName: 'Admin', role: 'admin' }, t));
		const [adminSession] = await startSessions([admin.id], now);
		const sessions = await startSessions(
			users.map((u) => u.id),
			now,
		);
		const signedIn = await seedDay(users, now);
		const appTokens = await Promise.all(users.map((u) => issueAppToken(u, now)));
		const people = users.map((u, i) => ({ id: u.id, session: sessions[i]!, appToken: appTokens[i]!, signedIn: signedIn[i]! }));
		return { people, adminSession: adminSession!, date: localDate(now) };
	} finally {
		await closeDatabase();
	}
}
