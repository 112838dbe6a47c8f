import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { config, resetConfig } from '../../server/config';
import { ContactDetail, LoginToken, Session, User } from '../../server/db/models/people.model';
import { issueLoginCode, redeemCodeForUser } from '../../server/domain/identity/login-codes';
import { issueLoginToken } from '../../server/domain/identity/login-tokens';
import { exportMyData } from '../../server/domain/people/my-data';
import { addContactWithCode, contactsOf, removeContact, renameUser, requestContactCode } from '../../server/domain/people/profile';
import { endOtherSessions, findSession, listSessions, startSession } from '../../server/domain/identity/sessions';
import { useTestDatabase } from './support/database';
import { newUser, webAudit } from './support/factories';
import { callerAs, recordFor, trpcCode } from './support/people';

const db = await useTestDatabase();

beforeAll(() => {
	// The development console method delivers codes here: no email or SMS method is configured.
	resetConfig({ ...config(), devLogin: true, smtp: undefined, twilio: undefined, microsoft: undefined });
});

afterEach(() => vi.restoreAllMocks());

let n = 0;
const freshEmail = (label = 'p') => `${label}${++n}.${Date.now().toString(36)}@example.com`;

/** Requests a code through the profile and reads it from the development console, as a developer would. */
async function codeSentTo(userId: number, raw: string): Promise<string> {
	const lines: string[] = [];
	const write = process.stdout.write.bind(process.stdout);
	vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
		lines.push(String(chunk));
		return write(chunk, ...(rest as []));
	});
	const sent = await requestContactCode(userId, raw);
	vi.restoreAllMocks();
	const code = lines.join('').match(new RegExp(`Code for ${sent.contact.replace(/[.+]/g, '\\$&')}: (\\d{6})`))?.[1];
	expect(code).toMatch(/^\d{6}$/);
	return code!;
}

db.describe(`profile: name (${db.dialect})`, () => {
	it('renames a person, trimming the names and keeping the username', async () => {
		const user = await newUser({ firstName: 'Ada', lastName: 'Byron' });
		const renamed = await renameUser(user.id, { firstName: '  Ada ', lastName: 'Lovelace ' });
		expect(renamed).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', username: user.username });
		expect((await User.findByPk(user.id))!.lastName).toBe('Lovelace');
	});

	it('refuses an empty or oversize name and changes nothing', async () => {
		const user = await newUser({ firstName: 'Keep', lastName: 'Me' });
		await expect(renameUser(user.id, { firstName: ' ', lastName: 'X' })).rejects.toMatchObject({ code: 'name-required', field: 'firstName' });
		await expect(renameUser(user.id, { firstName: 'A', lastName: 'x'.repeat(101) })).rejects.toMatchObject({
			code: 'invalid-input',
			field: 'lastName',
		});
		expect(await User.findByPk(user.id)).toMatchObject({ firstName: 'Keep', lastName: 'Me' });
	});
});

db.describe(`profile: contact details (${db.dialect})`, () => {
	it('adds another email verified by a code sent through the configured method, and stamps its last use', async () => {
		const user = await newUser({ email: freshEmail('own') });
		const extra = freshEmail('extra');
		const code = await codeSentTo(user.id, extra.toUpperCase());
		const added = await addContactWithCode(user.id, extra, code, webAudit);
		expect(added).toMatchObject({ method: 'email', value: extra, lastUsedAt: expect.any(Date), canLogIn: true });
		expect((await ContactDetail.findOne({ where: { value: extra } }))!.userId).toBe(user.id);
		const contacts = await contactsOf(user.id);
		expect(contacts.map((c) => c.value).sort()).toHaveLength(2);
		expect(contacts.find((c) => c.value !== extra)!.lastUsedAt).toBeNull();
	});

	it('adds a phone number in E.164 form', async () => {
		const user = await newUser({ email: freshEmail() });
		const code = await codeSentTo(user.id, '07911 123456');
		const added = await addContactWithCode(user.id, '07911 123456', code, webAudit);
		expect(added).toMatchObject({ method: 'sms', value: '+447911123456' });
	});

	it('refuses a wrong code and leaves the contact unattached', async () => {
		const user = await newUser({ email: freshEmail() });
		const extra = freshEmail('wrong');
		const code = await codeSentTo(user.id, extra);
		await expect(addContactWithCode(user.id, extra, code === '999999' ? '100000' : '999999', webAudit)).rejects.toMatchObject({
			code: 'code-invalid',
		});
		expect((await ContactDetail.findOne({ where: { value: extra } }))!.userId).toBeNull();
	});

	it('refuses a contact detail that belongs to someone else, before and after a code, and it stays theirs', async () => {
		const owned = freshEmail('owned');
		const owner = await newUser({ email: owned });
		const user = await newUser({ email: freshEmail() });
		await expect(requestContactCode(user.id, owned)).rejects.toMatchObject({ code: 'conflict', field: 'contact' });
		// Even with the right code (say, the owner's inbox was read), the detail is not taken over.
		const { code } = await issueLoginCode({ method: 'email', value: owned });
		await expect(redeemCodeForUser({ contact: { method: 'email', value: owned }, code, userId: user.id, audit: webAudit })).rejects.toMatchObject({
			code: 'conflict',
		});
		expect((await ContactDetail.findOne({ where: { value: owned } }))!.userId).toBe(owner.id);
	});

	it('refuses a malformed contact with a clear message and sends nothing', async () => {
		const user = await newUser({ email: freshEmail() });
		const before = await ContactDetail.count();
		await expect(requestContactCode(user.id, 'not-a-number')).rejects.toMatchObject({ code: 'invalid-input', field: 'contact' });
		await expect(requestContactCode(user.id, 'a@b')).rejects.toMatchObject({ code: 'invalid-input' });
		expect(await ContactDetail.count()).toBe(before);
	});

	it('removes a contact detail, but never the last one that can log in', async () => {
		const first = freshEmail('first');
		const user = await newUser({ email: first });
		const second = freshEmail('second');
		await addContactWithCode(user.id, second, await codeSentTo(user.id, second), webAudit);
		const [a, b] = await contactsOf(user.id);
		await removeContact(user.id, a!.id);
		await expect(removeContact(user.id, b!.id)).rejects.toMatchObject({ code: 'conflict', field: 'contactId' });
		expect((await contactsOf(user.id)).map((c) => c.id)).toEqual([b!.id]);
	});

	it("cannot remove someone else's contact detail", async () => {
		const other = await newUser({ email: freshEmail('other') });
		const [theirs] = await contactsOf(other.id);
		const user = await newUser({ email: freshEmail() });
		await expect(removeContact(user.id, theirs!.id)).rejects.toMatchObject({ code: 'not-found' });
		expect(await ContactDetail.findByPk(theirs!.id)).not.toBeNull();
	});
});

db.describe(`profile: devices and data (${db.dialect})`, () => {
	it('signs out other devices and keeps this one', async () => {
		const user = await newUser();
		const here = await startSession(user.id, 'Phone');
		const laptop = await startSession(user.id, 'Laptop');
		const tablet = await startSession(user.id, 'Tablet');
		const other = await newUser();
		const elsewhere = await startSession(other.id, 'Other');
		const listed = await listSessions(user.id, here);
		expect(listed).toHaveLength(3);
		expect(listed.filter((s) => s.current).map((s) => s.userAgent)).toEqual(['Phone']);
		expect(await endOtherSessions(user.id, here)).toBe(2);
		expect(await findSession(here)).not.toBeNull();
		expect(await findSession(laptop)).toBeNull();
		expect(await findSession(tablet)).toBeNull();
		expect(await findSession(elsewhere)).not.toBeNull();
	});

	it('exports my user, settings, contacts, records, sessions and link, without any hash', async () => {
		const email = freshEmail('export');
		const user = await newUser({ firstName: 'Exa', lastName: 'Port', email });
		const record = await recordFor(user.id, '2026-03-02');
		const session = await startSession(user.id, 'Export browser');
		const token = await issueLoginToken(user.id);
		const someoneElse = await newUser();
		await recordFor(someoneElse.id, '2026-03-02');

		const data = await exportMyData(user.id);
		expect(data.user).toMatchObject({ id: user.id, username: user.username, firstName: 'Exa', lastName: 'Port', role: 'staff' });
		expect(data.settings).toEqual({ reminders: true, ricked: false });
		expect(data.contactDetails).toEqual([expect.objectContaining({ method: 'email', value: email, lastUsedAt: null })]);
		expect(data.signInRecords).toEqual([
			expect.objectContaining({
				date: '2026-03-02',
				signInAt: record.signInAt.toISOString(),
				signOutAt: record.signOutAt!.toISOString(),
				signIn: expect.objectContaining({ ip: webAudit.ip, source: 'web' }),
			}),
		]);
		expect(data.sessions).toEqual([expect.objectContaining({ userAgent: 'Export browser' })]);
		expect(data.loginLink).toEqual({ createdAt: expect.any(String) });

		const text = JSON.stringify(data);
		const hashes = [(await Session.findOne({ where: { userId: user.id } }))!.idHash, (await LoginToken.findByPk(user.id))!.tokenHash];
		for (const secret of [session, token, ...hashes]) expect(text).not.toContain(secret);
	});
});

db.describe(`profile API (${db.dialect})`, () => {
	it('answers me, renames, lists sessions and signs out other devices through the procedures', async () => {
		const user = await newUser({ firstName: 'Api', lastName: 'Person', email: freshEmail('api') });
		const here = await startSession(user.id, 'Here');
		const there = await startSession(user.id, 'There');
		const caller = callerAs(user, here);
		expect(await caller.profile.me()).toMatchObject({ id: user.id, firstName: 'Api', contacts: [expect.objectContaining({ method: 'email' })] });
		expect(await caller.profile.updateName({ firstName: 'Apia', lastName: 'Persona' })).toMatchObject({ firstName: 'Apia' });
		const sessions = await caller.profile.sessions();
		expect(sessions.find((s) => s.current)?.userAgent).toBe('Here');
		expect(await caller.profile.signOutOtherDevices()).toEqual({ ended: 1 });
		expect(await findSession(here)).not.toBeNull();
		expect(await findSession(there)).toBeNull();
	});

	it('refuses oversize, empty and malformed names with BAD_REQUEST and changes nothing', async () => {
		const user = await newUser({ firstName: 'Same', lastName: 'Name' });
		const caller = callerAs(user);
		const bad = [{ firstName: 'x'.repeat(101), lastName: 'Y' }, { firstName: '', lastName: 'Y' }, { firstName: 'A' }, { firstName: 'A', lastName: 'B', role: 'admin' }, 'Bob'];
		for (const input of bad) expect(await trpcCode(caller.profile.updateName(input as never))).toBe('BAD_REQUEST');
		expect(await User.findByPk(user.id)).toMatchObject({ firstName: 'Same', lastName: 'Name', role: 'staff' });
	});

	it('refuses every profile procedure without a session', async () => {
		const anonymous = callerAs(null);
		expect(await trpcCode(anonymous.profile.me())).toBe('UNAUTHORIZED');
		expect(await trpcCode(anonymous.profile.updateName({ firstName: 'A', lastName: 'B' }))).toBe('UNAUTHORIZED');
		expect(await trpcCode(anonymous.profile.sessions())).toBe('UNAUTHORIZED');
		expect(await trpcCode(anonymous.profile.signOutOtherDevices())).toBe('UNAUTHORIZED');
	});
});

db.describe(`profile: sign-out reminders (${db.dialect})`, () => {
	it('a person turns their own reminders off and on again; a stranger cannot', async () => {
		const user = await newUser();
		const caller = callerAs(user);
		expect(await caller.profile.reminders()).toEqual({ on: true });
		expect(await caller.profile.setReminders({ on: false })).toEqual({ on: false });
		expect(await caller.profile.reminders()).toEqual({ on: false });
		expect(await callerAs(await newUser()).profile.reminders()).toEqual({ on: true });
		expect(await caller.profile.setReminders({ on: true })).toEqual({ on: true });
		expect(await caller.profile.reminders()).toEqual({ on: true });
		expect(await trpcCode(callerAs(null).profile.setReminders({ on: false }))).toBe('UNAUTHORIZED');
	});
});
