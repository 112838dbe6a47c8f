import { expect, it } from 'vitest';
import { AuditRecord } from '../../server/db/models/attendance.model';
import { LoginToken, Session } from '../../server/db/models/people.model';
import { logInWithLink, tokenFromAuthorization, userForAuthorization } from '../../server/domain/identity/login-links';
import { hasLoginToken, issueLoginToken, revokeLoginToken, userForLoginToken } from '../../server/domain/identity/login-tokens';
import { sha256 } from '../../server/domain/identity/secrets';
import { findSession, startSession } from '../../server/domain/identity/sessions';
import { useTestDatabase } from './support/database';
import { newUser, webAudit } from './support/factories';

const db = await useTestDatabase();

db.describe(`personal login links (${db.dialect})`, () => {
	it('issues a 256-bit token that names its user and is stored only as its SHA-256', async () => {
		const user = await newUser();
		const token = await issueLoginToken(user.id);
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect((await userForLoginToken(token))?.id).toBe(user.id);
		const row = await LoginToken.findByPk(user.id);
		expect(row!.tokenHash).toBe(sha256(token));
		expect(row!.tokenHash).not.toContain(token);
		expect(await hasLoginToken(user.id)).toMatchObject({ createdAt: expect.any(Date) });
	});

	it('replaces the old link when a new one is issued', async () => {
		const user = await newUser();
		const old = await issueLoginToken(user.id);
		const fresh = await issueLoginToken(user.id);
		expect(await userForLoginToken(old)).toBeNull();
		expect((await userForLoginToken(fresh))?.id).toBe(user.id);
		expect(await LoginToken.count({ where: { userId: user.id } })).toBe(1);
	});

	it('answers null for unknown, malformed and revoked tokens', async () => {
		const user = await newUser();
		const token = await issueLoginToken(user.id);
		expect(await userForLoginToken(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
		expect(await userForLoginToken('')).toBeNull();
		expect(await userForLoginToken('not a token!')).toBeNull();
		expect(await userForLoginToken('x'.repeat(500))).toBeNull();
		expect(await revokeLoginToken(user.id)).toBe(true);
		expect(await userForLoginToken(token)).toBeNull();
		expect(await revokeLoginToken(user.id)).toBe(false);
		expect(await hasLoginToken(user.id)).toBeNull();
	});

	it('opening a link starts a session for its person and stamps an audit record', async () => {
		const user = await newUser();
		const token = await issueLoginToken(user.id);
		const login = await logInWithLink(token, webAudit, null);
		expect(login?.user.id).toBe(user.id);
		expect((await findSession(login!.sessionToken))?.user.id).toBe(user.id);
		const stamp = await AuditRecord.findOne({ where: { action: 'login-link-used', subjectId: user.id } });
		expect(stamp).toMatchObject({ ip: webAudit.ip, userAgent: webAudit.userAgent, source: 'web' });
		// The link keeps working: it is long-lived, not single-use.
		expect(await logInWithLink(token, webAudit, null)).not.toBeNull();
	});

	it('ends the device previous session when a link logs it in as someone', async () => {
		const before = await newUser();
		const previous = await startSession(before.id, 'shared tablet');
		const user = await newUser();
		const login = await logInWithLink(await issueLoginToken(user.id), webAudit, previous);
		expect(login).not.toBeNull();
		expect(await findSession(previous)).toBeNull();
	});

	it('an unknown or revoked link changes nothing: no session, no audit record', async () => {
		const user = await newUser();
		const token = await issueLoginToken(user.id);
		await revokeLoginToken(user.id);
		const audits = await AuditRecord.count();
		const sessions = await Session.count();
		expect(await logInWithLink(token, webAudit, null)).toBeNull();
		expect(await logInWithLink('unknown-token-unknown-token-unknown', webAudit, null)).toBeNull();
		expect(await AuditRecord.count()).toBe(audits);
		expect(await Session.count()).toBe(sessions);
	});

	it('accepts the token as an LLToken Authorization header, and nothing else', async () => {
		const user = await newUser();
		const token = await issueLoginToken(user.id);
		expect((await userForAuthorization(`LLToken ${token}`))?.id).toBe(user.id);
		expect((await userForAuthorization(`lltoken ${token}`))?.id).toBe(user.id);
		for (const header of [null, '', 'LLToken', `Bearer ${token}`, `LLToken ${token} extra`, `Token ${token}`, `LLToken unknown-${token}`]) {
			expect(await userForAuthorization(header)).toBeNull();
		}
		expect(tokenFromAuthorization(`LLToken  ${token}`)).toBe(token);
	});
});
