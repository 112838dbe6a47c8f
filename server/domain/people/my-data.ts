/**
 * "Download my data": everything the register keeps about a person, as plain
 * JSON. Secrets (session, link and badge hashes, codes) are never part of it.
 */
import { Op } from 'sequelize';
import { AuditRecord, Location, SignInRecord } from '../../db/models/attendance.model';
import { Badge, LoginToken, Session, UserSettings } from '../../db/models/people.model';
import { contactsOf } from './profile';
import { findUser } from './users';

interface AuditFacts {
	at: string;
	ip: string | null;
	userAgent: string | null;
	source: string;
}

export interface MyData {
	exportedAt: string;
	user: { id: number; username: string; firstName: string; lastName: string; role: string; createdAt: string; updatedAt: string };
	settings: { reminders: boolean; ricked: boolean } | null;
	contactDetails: Array<{ method: string; value: string; addedAt: string; lastUsedAt: string | null }>;
	signInRecords: Array<{
		date: string;
		signInAt: string;
		signOutAt: string | null;
		location: string | null;
		signIn: AuditFacts | null;
		signOut: AuditFacts | null;
	}>;
	sessions: Array<{ userAgent: string | null; createdAt: string; lastSeenAt: string; expiresAt: string }>;
	loginLink: { createdAt: string } | null;
	badges: Array<{ createdAt: string; revokedAt: string | null }>;
}

const iso = (d: Date) => d.toISOString();

export async function exportMyData(userId: number, at = new Date()): Promise<MyData> {
	const user = await findUser(userId);
	const [settings, contacts, records, sessions, token, badges] = await Promise.all([
		UserSettings.findByPk(userId),
		contactsOf(userId),
		SignInRecord.findAll({ where: { userId }, order: [['signInAt', 'ASC']] }),
		Session.findAll({ where: { userId, expiresAt: { [Op.gt]: at } }, order: [['createdAt', 'ASC']] }),
		LoginToken.findByPk(userId),
		Badge.findAll({ where: { userId }, order: [['createdAt', 'ASC']] }),
	]);
	const auditIds = records.flatMap((r) => [r.signInAuditId, r.signOutAuditId]).filter((id): id is number => id != null);
	const audits = new Map((auditIds.length ? await AuditRecord.findAll({ where: { id: auditIds } }) : []).map((a) => [a.id, a]));
	const locationIds = [...new Set(records.map((r) => r.locationId).filter((id): id is number => id != null))];
	const locations = new Map((locationIds.length ? await Location.findAll({ where: { id: locationIds } }) : []).map((l) => [l.id, l.name]));
	const facts = (id: number | null): AuditFacts | null => {
		const a = id != null ? audits.get(id) : undefined;
		return a ? { at: iso(a.at), ip: a.ip, userAgent: a.userAgent, source: a.source } : null;
	};

	return {
		exportedAt: iso(at),
		user: {
			id: user.id,
			username: user.username,
			firstName: user.firstName,
			lastName: user.lastName,
			role: user.role,
			createdAt: iso(user.createdAt),
			updatedAt: iso(user.updatedAt),
		},
		settings: settings ? { reminders: settings.reminders, ricked: settings.ricked } : null,
		contactDetails: contacts.map((c) => ({
			method: c.method,
			value: c.value,
			addedAt: iso(c.addedAt),
			lastUsedAt: c.lastUsedAt ? iso(c.lastUsedAt) : null,
		})),
		signInRecords: records.map((r) => ({
			date: r.date,
			signInAt: iso(r.signInAt),
			signOutAt: r.signOutAt ? iso(r.signOutAt) : null,
			location: r.locationId != null ? (locations.get(r.locationId) ?? null) : null,
			signIn: facts(r.signInAuditId),
			signOut: facts(r.signOutAuditId),
		})),
		sessions: sessions.map((s) => ({
			userAgent: s.userAgent,
			createdAt: iso(s.createdAt),
			lastSeenAt: iso(s.lastSeenAt),
			expiresAt: iso(s.expiresAt),
		})),
		loginLink: token ? { createdAt: iso(token.createdAt) } : null,
		badges: badges.map((b) => ({ createdAt: iso(b.createdAt), revokedAt: b.revokedAt ? iso(b.revokedAt) : null })),
	};
}
