/**
 * An admin sees where a person is logged in and logs them out of one device
 * or all. A session is named on the page by a keyed hash of its stored hash:
 * stable for the form, useless for anything else, and the stored hash never
 * leaves the server.
 */
import { Op } from 'sequelize';
import { Session } from '../../db/models/people.model';
import { audited, type AdminActor } from '../shared/admin-audit';
import { DomainError } from '../shared/errors';
import { keyedHash } from '../identity/secrets';
import { findUser } from './users';

export interface PersonSession {
	/** What the page's "log out" form sends back. */
	handle: string;
	userAgent: string | null;
	createdAt: Date;
	lastSeenAt: Date;
}

const handleOf = (idHash: string) => keyedHash(`session-handle:${idHash}`).slice(0, 32);

/** The person's live sessions, most recently used first. */
export async function sessionsOf(userId: number, at = new Date()): Promise<PersonSession[]> {
	const rows = await Session.findAll({ where: { userId, expiresAt: { [Op.gt]: at } }, order: [['lastSeenAt', 'DESC'], ['createdAt', 'DESC']] });
	return rows.map((s) => ({ handle: handleOf(s.idHash), userAgent: s.userAgent, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt }));
}

/** Ends one of the person's sessions (by its handle), or all of them without one; answers how many ended. */
export async function endSessionsOf(actor: AdminActor, userId: number, handle: string | null): Promise<number> {
	await findUser(userId);
	return audited(
		actor,
		'sessions-ended',
		async (t) => {
			const rows = await Session.findAll({ where: { userId }, attributes: ['idHash'], transaction: t });
			const chosen = handle === null ? rows : rows.filter((s) => handleOf(s.idHash) === handle);
			if (handle !== null && chosen.length === 0) throw new DomainError('not-found', 'That device is already logged out.');
			if (!chosen.length) return 0;
			return Session.destroy({ where: { userId, idHash: chosen.map((s) => s.idHash) }, transaction: t });
		},
		(ended) => ({ subjectId: userId, details: { ended, all: handle === null } }),
	);
}
