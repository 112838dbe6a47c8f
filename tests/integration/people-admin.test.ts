import { expect, it } from 'vitest';
import { Action, AuditRecord, SignInRecord } from '../../server/db/models/attendance.model';
import { Badge, ContactDetail, LoginCode, LoginToken, Session, User, UserSettings } from '../../server/db/models/people.model';
import { issueLoginCode } from '../../server/domain/identity/login-codes';
import { issueLoginToken, userForLoginToken } from '../../server/domain/identity/login-tokens';
import { createLoginLinkFor, revokeLoginLinkFor, searchUsers, setRole, userDetail } from '../../server/domain/people/people-admin';
import { eraseUser, mergePreview, mergeUsers } from '../../server/domain/people/people-merge';
import { findSession, startSession } from '../../server/domain/identity/sessions';
import { useTestDatabase } from './support/database';
import { newUser } from './support/factories';
import { actorFrom, recordFor } from './support/people';

const db = await useTestDatabase();

let n = 0;
const email = (label: string) => `${label}.${++n}.${Date.now().toString(36)}@example.com`;

const auditsOf = (action: string, subjectId: number | null) => AuditRecord.findAll({ where: { action, subjectId } });

/** Users made one after another can share a millisecond: make their ages explicit. */
async function aged(user: User, iso: string): Promise<User> {
	await User.update({ createdAt: new Date(iso) }, { where: { id: user.id }, silent: true });
	return (await User.findByPk(user.id))!;
}

db.describe(`admin: finding people (${db.dialect})`, () => {
	it('finds people by first name, last name, username and contact value, every word matching', async () => {
		const mail = email('zebedee');
		const zeb = await newUser({ firstName: 'Zebedee', lastName: 'Quartz', email: mail });
		await newUser({ firstName: 'Zebedee', lastName: 'Other' });
		const ids = async (q: string) => (await searchUsers(q)).map((u) => u.id);
		expect(await ids('zebedee quartz')).toEqual([zeb.id]);
		expect(await ids('QUARTZ')).toEqual([zeb.id]);
		expect(await ids(zeb.username)).toEqual([zeb.id]);
		expect(await ids(mail.slice(0, 12))).toEqual([zeb.id]);
		expect(await ids('zebedee')).toHaveLength(2);
		expect(await ids('nobody-has-this-name')).toEqual([]);
		expect((await searchUsers('quartz'))[0]!.contacts).toEqual([mail]);
	});

	it("shows a person's contacts, records, link and the admin actions done to them", async () => {
		const admin = await newUser({ role: 'admin' });
		const user = await newUser({ email: email('detail') });
		await recordFor(user.id, '2026-03-03');
		await createLoginLinkFor(actorFrom(admin), user.id);
		const detail = await userDetail(user.id);
		expect(detail.contacts).toHaveLength(1);
		expect(detail.records).toEqual([expect.objectContaining({ date: '2026-03-03' })]);
		expect(detail.loginLink).not.toBeNull();
		expect(detail.history).toEqual([expect.objectContaining({ action: 'login-link-created', actorId: admin.id })]);
		await expect(userDetail(2_000_000)).rejects.toMatchObject({ code: 'not-found' });
	});
});

db.describe(`admin: roles (${db.dialect})`, () => {
	it('changes a role and writes an audit record of who did it', async () => {
		const admin = await newUser({ role: 'admin' });
		const user = await newUser();
		await setRole(actorFrom(admin), user.id, 'marshal');
		expect((await User.findByPk(user.id))!.role).toBe('marshal');
		const [audit] = await auditsOf('role-changed', user.id);
		expect(audit).toMatchObject({ source: 'admin', actorId: admin.id, ip: '198.51.100.9', userAgent: 'admin-test' });
		expect(JSON.parse(audit!.details!)).toEqual({ from: 'staff', to: 'marshal' });
	});

	it('the last admin cannot demote themself, and nothing is written', async () => {
		// Only admins made in this test exist as admins: demote the others first.
		await User.update({ role: 'staff' }, { where: { role: 'admin' } });
		const admin = await newUser({ role: 'admin' });
		await expect(setRole(actorFrom(admin), admin.id, 'staff')).rejects.toMatchObject({
			code: 'conflict',
			message: 'You are the last admin: make someone else an admin first.',
		});
		expect((await User.findByPk(admin.id))!.role).toBe('admin');
		expect(await auditsOf('role-changed', admin.id)).toHaveLength(0);

		const second = await newUser({ role: 'admin' });
		await setRole(actorFrom(second), admin.id, 'staff');
		expect((await User.findByPk(admin.id))!.role).toBe('staff');
	});

	it('refuses an unknown user', async () => {
		const admin = await newUser({ role: 'admin' });
		await expect(setRole(actorFrom(admin), 2_000_000, 'admin')).rejects.toMatchObject({ code: 'not-found' });
	});
});

db.describe(`admin: login links (${db.dialect})`, () => {
	it('creates a working link for any user, replacing theirs, and audits it; revoking audits too', async () => {
		const admin = await newUser({ role: 'admin' });
		const user = await newUser();
		const own = await issueLoginToken(user.id);
		const token = await createLoginLinkFor(actorFrom(admin), user.id);
		expect((await userForLoginToken(token))?.id).toBe(user.id);
		expect(await userForLoginToken(own)).toBeNull();
		expect(await auditsOf('login-link-created', user.id)).toEqual([expect.objectContaining({ actorId: admin.id })]);
		expect(await revokeLoginLinkFor(actorFrom(admin), user.id)).toBe(true);
		expect(await userForLoginToken(token)).toBeNull();
		expect(await auditsOf('login-link-revoked', user.id)).toHaveLength(1);
		await expect(createLoginLinkFor(actorFrom(admin), 2_000_000)).rejects.toMatchObject({ code: 'not-found' });
	});
});

db.describe(`admin: merging (${db.dialect})`, () => {
	it('the oldest account keeps the contacts and records of the others, which are deleted, and the merge is audited', async () => {
		const admin = await newUser({ role: 'admin' });
		const oldest = await aged(await newUser({ firstName: 'Mer', lastName: 'Ge', email: email('old') }), '2025-01-01T00:00:00Z');
		const newer = await aged(await newUser({ firstName: 'Mer', lastName: 'Ge', email: email('new') }), '2025-06-01T00:00:00Z');
		const newest = await aged(await newUser({ firstName: 'Mer', lastName: 'Ge', role: 'marshal', email: email('newest') }), '2026-01-01T00:00:00Z');
		await recordFor(oldest.id, '2026-03-02');
		await recordFor(newer.id, '2026-03-03');
		await recordFor(newest.id, '2026-03-04');
		const device = await startSession(newer.id, 'newer phone');

		expect((await mergePreview([newest.id, oldest.id, newer.id])).map((c) => c.id)).toEqual([oldest.id, newer.id, newest.id]);
		const result = await mergeUsers(actorFrom(admin), [newest.id, newer.id, oldest.id]);
		expect(result.kept.id).toBe(oldest.id);
		expect(result.moved).toEqual({ contacts: 2, records: 2 });

		expect(await User.count({ where: { id: [newer.id, newest.id] } })).toBe(0);
		expect(await ContactDetail.count({ where: { userId: oldest.id } })).toBe(3);
		expect((await SignInRecord.findAll({ where: { userId: oldest.id }, order: [['date', 'ASC']] })).map((r) => r.date)).toEqual([
			'2026-03-02',
			'2026-03-03',
			'2026-03-04',
		]);
		expect((await findSession(device))?.user.id).toBe(oldest.id);
		// A merge never demotes: the kept account takes the highest role.
		expect((await User.findByPk(oldest.id))!.role).toBe('marshal');

		const [audit] = await auditsOf('users-merged', oldest.id);
		expect(audit).toMatchObject({ actorId: admin.id, source: 'admin' });
		expect(JSON.parse(audit!.details!)).toMatchObject({ keptId: oldest.id, mergedIds: [newer.id, newest.id].sort((a, b) => a - b) });
	});

	it('refuses fewer than two accounts and unknown ones, changing nothing', async () => {
		const admin = await newUser({ role: 'admin' });
		const a = await newUser({ email: email('a') });
		await expect(mergeUsers(actorFrom(admin), [a.id, a.id])).rejects.toMatchObject({ code: 'invalid-input' });
		await expect(mergeUsers(actorFrom(admin), [a.id, 2_000_000])).rejects.toMatchObject({ code: 'not-found' });
		expect(await User.findByPk(a.id)).not.toBeNull();
		expect(await ContactDetail.count({ where: { userId: a.id } })).toBe(1);
		expect(await auditsOf('users-merged', a.id)).toHaveLength(0);
	});
});

db.describe(`admin: erasing (${db.dialect})`, () => {
	it('erases the person and everything that is theirs, keeps admin audit records unlinked, and audits the erase', async () => {
		const admin = await newUser({ role: 'admin' });
		const mail = email('erase');
		const user = await newUser({ email: mail, role: 'admin' });
		const record = await recordFor(user.id, '2026-03-05');
		const { contactId } = await issueLoginCode({ method: 'email', value: mail });
		const session = await startSession(user.id, 'to be erased');
		const token = await issueLoginToken(user.id);
		await Badge.create({ userId: user.id, badgeHash: `badge-${user.id}-${Date.now()}` });
		await Action.create({ id: crypto.randomUUID(), userId: user.id, deviceId: null, kind: 'sign-in', clientAt: new Date(), receivedAt: new Date(), outcome: 'applied', reason: null });
		const other = await newUser();
		// Something they did as an admin, and something done to them.
		await setRole(actorFrom(user), other.id, 'marshal');
		await setRole(actorFrom(admin), user.id, 'staff');

		await eraseUser(actorFrom(admin), { userId: user.id, confirmUsername: user.username });

		expect(await User.findByPk(user.id)).toBeNull();
		expect(await UserSettings.findByPk(user.id)).toBeNull();
		expect(await ContactDetail.count({ where: { value: mail } })).toBe(0);
		expect(await LoginCode.count({ where: { contactId } })).toBe(0);
		expect(await SignInRecord.count({ where: { userId: user.id } })).toBe(0);
		expect(await AuditRecord.count({ where: { id: [record.signInAuditId!, record.signOutAuditId!] } })).toBe(0);
		expect(await findSession(session)).toBeNull();
		expect(await userForLoginToken(token)).toBeNull();
		for (const model of [Session, LoginToken, Badge, Action] as const) {
			expect(await (model as typeof Session).count({ where: { userId: user.id } })).toBe(0);
		}
		expect(await AuditRecord.count({ where: { actorId: user.id } })).toBe(0);
		expect(await AuditRecord.count({ where: { subjectId: user.id } })).toBe(0);
		const theirAction = await AuditRecord.findOne({ where: { action: 'role-changed', subjectId: other.id } });
		expect(theirAction).toMatchObject({ actorId: null });
		const erased = await AuditRecord.findAll({ where: { action: 'user-erased', actorId: admin.id } });
		expect(erased.map((r) => JSON.parse(r.details!).erasedUserId)).toContain(user.id);
		expect(await User.findByPk(other.id)).not.toBeNull();
	});

	it('refuses a wrong confirmation, an unknown user and erasing yourself, changing nothing', async () => {
		const admin = await newUser({ role: 'admin' });
		const user = await newUser({ email: email('keep') });
		await expect(eraseUser(actorFrom(admin), { userId: user.id, confirmUsername: 'someone.else' })).rejects.toMatchObject({
			code: 'invalid-input',
			field: 'confirmUsername',
		});
		await expect(eraseUser(actorFrom(admin), { userId: 2_000_000, confirmUsername: 'x' })).rejects.toMatchObject({ code: 'not-found' });
		await expect(eraseUser(actorFrom(admin), { userId: admin.id, confirmUsername: admin.username })).rejects.toMatchObject({ code: 'conflict' });
		expect(await User.count({ where: { id: [user.id, admin.id] } })).toBe(2);
		expect(await ContactDetail.count({ where: { userId: user.id } })).toBe(1);
	});
});
