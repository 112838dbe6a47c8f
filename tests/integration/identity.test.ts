import { expect, it } from 'vitest';
import { AuditRecord } from '../../server/db/models/attendance.model';
import { ContactDetail, LoginCode, Session, User } from '../../server/db/models/people.model';
import { createOrPromoteAdmin } from '../../server/domain/people/admins';
import { CODE_TTL_MS, issueLoginCode, redeemLoginCode } from '../../server/domain/identity/login-codes';
import { endSession, findSession, SESSION_TTL_MS, startSession } from '../../server/domain/identity/sessions';
import { useTestDatabase } from './support/database';
import { newUser, webAudit } from './support/factories';

const db = await useTestDatabase();

let emails = 0;
const freshEmail = () => ({ method: 'email' as const, value: `person${++emails}@example.com` });
const wrong = (code: string) => (code === '999999' ? '100000' : '999999');

db.describe(`login codes (${db.dialect})`, () => {
	it('creates the user from the names given with the first code, and stamps the contact with an audit', async () => {
		const contact = freshEmail();
		const issued = await issueLoginCode(contact);
		expect(issued.code).toMatch(/^[1-9]\d{5}$/);
		expect(issued.hasUser).toBe(false);
		const user = await redeemLoginCode({ contact, code: issued.code, firstName: ' Ada ', lastName: 'Lovelace', audit: webAudit });
		expect(user).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', username: 'ada.lovelace', role: 'staff' });
		const row = await ContactDetail.findOne({ where: contact });
		expect(row!.userId).toBe(user.id);
		const audit = await AuditRecord.findByPk(row!.auditId!);
		expect(audit).toMatchObject({ ip: '203.0.113.7', source: 'web' });
		expect(await LoginCode.count({ where: { contactId: row!.id } })).toBe(0);
	});

	it('gives the next free username suffix to a second person of the same name', async () => {
		const names = { firstName: 'Sam', lastName: "O'Neil" };
		const first = freshEmail();
		const second = freshEmail();
		const a = await redeemLoginCode({ contact: first, code: (await issueLoginCode(first)).code, ...names, audit: webAudit });
		const b = await redeemLoginCode({ contact: second, code: (await issueLoginCode(second)).code, ...names, audit: webAudit });
		expect([a.username, b.username]).toEqual(['sam.oneil', 'sam.oneil.1']);
	});

	it('asks for the names on first use without spending the code', async () => {
		const contact = freshEmail();
		const { code } = await issueLoginCode(contact);
		await expect(redeemLoginCode({ contact, code, audit: webAudit })).rejects.toMatchObject({
			code: 'name-required',
			field: 'firstName',
		});
		await expect(redeemLoginCode({ contact, code, firstName: 'A', lastName: 'x'.repeat(101), audit: webAudit })).rejects.toMatchObject({
			code: 'invalid-input',
			field: 'lastName',
		});
		const user = await redeemLoginCode({ contact, code, firstName: 'Grace', lastName: 'Hopper', audit: webAudit });
		expect(user.firstName).toBe('Grace');
	});

	it('logs a known contact in as its user without asking for names', async () => {
		const existing = await newUser({ firstName: 'Known', lastName: 'Person', email: 'known@example.com' });
		const contact = { method: 'email' as const, value: 'known@example.com' };
		const { code, hasUser } = await issueLoginCode(contact);
		expect(hasUser).toBe(true);
		const user = await redeemLoginCode({ contact, code, audit: webAudit });
		expect(user.id).toBe(existing.id);
		expect(await User.count({ where: { firstName: 'Known' } })).toBe(1);
	});

	it('stores codes only as a keyed hash', async () => {
		const contact = freshEmail();
		const { code, contactId } = await issueLoginCode(contact);
		const row = await LoginCode.findOne({ where: { contactId } });
		expect(row!.codeHash).toMatch(/^[0-9a-f]{64}$/);
		expect(row!.codeHash).not.toContain(code);
	});

	it('keeps one live code per contact: a new request replaces the old code', async () => {
		const contact = freshEmail();
		const old = await issueLoginCode(contact);
		const fresh = await issueLoginCode(contact);
		expect(await LoginCode.count({ where: { contactId: old.contactId } })).toBe(1);
		if (old.code !== fresh.code) {
			await expect(redeemLoginCode({ contact, code: old.code, firstName: 'A', lastName: 'B', audit: webAudit })).rejects.toMatchObject({
				code: 'code-invalid',
			});
		}
		await expect(redeemLoginCode({ contact, code: fresh.code, firstName: 'A', lastName: 'B', audit: webAudit })).resolves.toBeInstanceOf(User);
	});

	it('refuses an expired code with a clear message', async () => {
		const contact = freshEmail();
		const issuedAt = new Date('2026-03-02T09:00:00Z');
		const { code } = await issueLoginCode(contact, issuedAt);
		const late = new Date(issuedAt.getTime() + CODE_TTL_MS + 1);
		await expect(redeemLoginCode({ contact, code, firstName: 'A', lastName: 'B', audit: webAudit, at: late })).rejects.toMatchObject({
			code: 'code-expired',
			message: 'Code expired: request a new one.',
		});
		await expect(redeemLoginCode({ contact, code, firstName: 'A', lastName: 'B', audit: webAudit, at: issuedAt })).rejects.toMatchObject({
			code: 'code-invalid',
		});
	});

	it('allows five wrong guesses per code, then throws the code away', async () => {
		const contact = freshEmail();
		const { code } = await issueLoginCode(contact);
		const guess = () => redeemLoginCode({ contact, code: wrong(code), firstName: 'A', lastName: 'B', audit: webAudit });
		for (const left of [4, 3, 2, 1]) {
			await expect(guess()).rejects.toMatchObject({ code: 'code-invalid', message: expect.stringContaining(`${left} `) });
		}
		await expect(guess()).rejects.toMatchObject({ code: 'too-many-attempts' });
		await expect(redeemLoginCode({ contact, code, firstName: 'A', lastName: 'B', audit: webAudit })).rejects.toMatchObject({
			code: 'code-invalid',
		});
		expect(await ContactDetail.findOne({ where: contact })).toMatchObject({ userId: null });
	});

	it('refuses a code for a contact that never asked for one', async () => {
		await expect(
			redeemLoginCode({ contact: { method: 'email', value: 'nobody@example.com' }, code: '123456', audit: webAudit }),
		).rejects.toMatchObject({ code: 'code-invalid' });
	});
});

db.describe(`sessions (${db.dialect})`, () => {
	it('opens a session from its token, storing only the token hash', async () => {
		const user = await newUser();
		const token = await startSession(user.id, 'Firefox');
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const stored = await Session.findAll({ where: { userId: user.id } });
		expect(stored).toHaveLength(1);
		expect(stored[0]!.idHash).not.toContain(token);
		const session = await findSession(token);
		expect(session?.user.id).toBe(user.id);
		expect(await findSession(`${token}x`)).toBeNull();
	});

	it('rolls the one-year expiry forward when the session is used', async () => {
		const user = await newUser();
		const start = new Date('2026-02-01T09:00:00Z');
		const token = await startSession(user.id, null, start);
		const later = new Date('2026-08-01T09:00:00Z');
		const session = await findSession(token, later);
		expect(session?.rolled).toBe(true);
		const row = await Session.findOne({ where: { userId: user.id } });
		expect(row!.expiresAt.getTime()).toBe(later.getTime() + SESSION_TTL_MS);
	});

	it('refuses an expired session and forgets it', async () => {
		const user = await newUser();
		const start = new Date('2025-01-01T09:00:00Z');
		const token = await startSession(user.id, null, start);
		expect(await findSession(token, new Date(start.getTime() + SESSION_TTL_MS + 1000))).toBeNull();
		expect(await Session.count({ where: { userId: user.id } })).toBe(0);
	});

	it('ends a session on logout', async () => {
		const user = await newUser();
		const token = await startSession(user.id, null);
		await endSession(token);
		expect(await findSession(token)).toBeNull();
	});
});

db.describe(`admins (${db.dialect})`, () => {
	it('creates an admin who owns the email, and promotes the existing owner on a second call', async () => {
		const created = await createOrPromoteAdmin({ email: 'Boss@Example.com', firstName: 'Bo', lastName: 'Ss' });
		expect(created.created).toBe(true);
		expect(created.user.role).toBe('admin');
		const contact = await ContactDetail.findOne({ where: { method: 'email', value: 'boss@example.com' } });
		expect(contact!.userId).toBe(created.user.id);

		const staff = await newUser({ email: 'promote@example.com' });
		const promoted = await createOrPromoteAdmin({ email: 'promote@example.com', firstName: 'X', lastName: 'Y' });
		expect(promoted).toMatchObject({ created: false });
		expect(promoted.user.id).toBe(staff.id);
		expect((await User.findByPk(staff.id))!.role).toBe('admin');
	});

	it('refuses a malformed email and creates nothing', async () => {
		const before = await User.count();
		await expect(createOrPromoteAdmin({ email: 'not-an-email', firstName: 'A', lastName: 'B' })).rejects.toMatchObject({
			code: 'invalid-input',
		});
		expect(await User.count()).toBe(before);
	});
});
