import { expect, it } from 'vitest';
import { AuditRecord } from '../../server/db/models/attendance.model';
import { ContactDetail, LoginToken, User } from '../../server/db/models/people.model';
import { userForLoginToken } from '../../server/domain/identity/login-tokens';
import { useTestDatabase } from './support/database';
import { newUser } from './support/factories';
import { callerAs, trpcCode } from './support/people';

const db = await useTestDatabase();

type Caller = ReturnType<typeof callerAs>;

/** Every admin procedure, called with input that would succeed for an admin. */
const adminCalls: Record<string, (caller: Caller, target: User) => Promise<unknown>> = {
	'admin.users.search': (c) => c.admin.users.search({ query: '' }),
	'admin.users.setRole': (c, target) => c.admin.users.setRole({ userId: target.id, role: 'admin' }),
	'admin.users.merge': async (c, target) => c.admin.users.merge({ userIds: [target.id, (await newUser()).id] }),
	'admin.users.erase': (c, target) => c.admin.users.erase({ userId: target.id, confirmUsername: target.username }),
	'admin.loginLinks.create': (c, target) => c.admin.loginLinks.create({ userId: target.id }),
};

/** Nothing about the target changed: still there, same role, no link, no admin audit record. */
async function expectUnchanged(target: User) {
	expect(await User.findByPk(target.id)).toMatchObject({ role: 'staff', username: target.username });
	expect(await LoginToken.count({ where: { userId: target.id } })).toBe(0);
	expect(await AuditRecord.count({ where: { subjectId: target.id, source: 'admin' } })).toBe(0);
}

db.describe(`admin API refusals (${db.dialect})`, () => {
	for (const [name, call] of Object.entries(adminCalls)) {
		it(`${name} refuses a staff session with FORBIDDEN and changes nothing`, async () => {
			const staff = await newUser({ role: 'staff' });
			const target = await newUser();
			expect(await trpcCode(call(callerAs(staff), target))).toBe('FORBIDDEN');
			await expectUnchanged(target);
		});

		it(`${name} refuses a marshal session with FORBIDDEN`, async () => {
			const marshal = await newUser({ role: 'marshal' });
			expect(await trpcCode(call(callerAs(marshal), await newUser()))).toBe('FORBIDDEN');
		});

		it(`${name} refuses an anonymous call with UNAUTHORIZED and changes nothing`, async () => {
			const target = await newUser();
			expect(await trpcCode(call(callerAs(null), target))).toBe('UNAUTHORIZED');
			await expectUnchanged(target);
		});
	}
});

db.describe(`admin API (${db.dialect})`, () => {
	it('lets an admin search, change a role, create a link, merge and erase', async () => {
		const admin = callerAs(await newUser({ role: 'admin' }));
		const one = await newUser({ firstName: 'Apiary', lastName: 'Keeper', email: 'apiary.one@example.com' });
		const two = await newUser({ firstName: 'Apiary', lastName: 'Keeper', email: 'apiary.two@example.com' });
		expect((await admin.admin.users.search({ query: 'apiary keeper' })).map((u) => u.id).sort()).toEqual([one.id, two.id].sort());
		expect(await admin.admin.users.setRole({ userId: one.id, role: 'marshal' })).toMatchObject({ id: one.id, role: 'marshal' });
		const link = await admin.admin.loginLinks.create({ userId: two.id });
		expect(link.path).toBe(`/accounts/token/${link.token}`);
		expect((await userForLoginToken(link.token))?.id).toBe(two.id);
		const merged = await admin.admin.users.merge({ userIds: [two.id, one.id] });
		expect(merged.kept.id).toBe(one.id);
		expect(merged.mergedIds).toHaveLength(1);
		const kept = merged.kept;
		expect(await ContactDetail.count({ where: { userId: kept.id } })).toBe(2);
		expect(await admin.admin.users.erase({ userId: kept.id, confirmUsername: kept.username })).toMatchObject({ erased: kept.id });
		expect(await User.count({ where: { id: [one.id, two.id] } })).toBe(0);
	});

	it('answers bad input with a 4xx code and changes nothing', async () => {
		const adminUser = await newUser({ role: 'admin' });
		const admin = callerAs(adminUser);
		const target = await newUser();
		const cases: Array<[() => Promise<unknown>, string]> = [
			[() => admin.admin.users.search({ query: 'x'.repeat(101) }), 'BAD_REQUEST'],
			[() => admin.admin.users.search({ query: 'a', extra: 1 } as never), 'BAD_REQUEST'],
			[() => admin.admin.users.setRole({ userId: target.id, role: 'superuser' } as never), 'BAD_REQUEST'],
			[() => admin.admin.users.setRole({ userId: -1, role: 'admin' }), 'BAD_REQUEST'],
			[() => admin.admin.users.setRole({ userId: 'abc', role: 'admin' } as never), 'BAD_REQUEST'],
			[() => admin.admin.users.setRole({ userId: 2_000_000, role: 'admin' }), 'NOT_FOUND'],
			[() => admin.admin.users.merge({ userIds: [target.id] }), 'BAD_REQUEST'],
			[() => admin.admin.users.merge({ userIds: [target.id, target.id] }), 'BAD_REQUEST'],
			[() => admin.admin.users.merge({ userIds: [target.id, 2_000_000] }), 'NOT_FOUND'],
			[() => admin.admin.users.merge({} as never), 'BAD_REQUEST'],
			[() => admin.admin.users.erase({ userId: target.id } as never), 'BAD_REQUEST'],
			[() => admin.admin.users.erase({ userId: target.id, confirmUsername: 'not.them' }), 'BAD_REQUEST'],
			[() => admin.admin.users.erase({ userId: 2_000_000, confirmUsername: 'x' }), 'NOT_FOUND'],
			[() => admin.admin.users.erase({ userId: adminUser.id, confirmUsername: adminUser.username }), 'CONFLICT'],
			[() => admin.admin.loginLinks.create({ userId: 2_000_000 }), 'NOT_FOUND'],
			[() => admin.admin.loginLinks.create({ userId: 1.5 }), 'BAD_REQUEST'],
		];
		for (const [call, code] of cases) expect(await trpcCode(call())).toBe(code);
		await expectUnchanged(target);
		expect(await User.findByPk(adminUser.id)).not.toBeNull();
	});

	it('refuses to demote the last admin through the API with CONFLICT', async () => {
		await User.update({ role: 'staff' }, { where: { role: 'admin' } });
		const only = await newUser({ role: 'admin' });
		expect(await trpcCode(callerAs(only).admin.users.setRole({ userId: only.id, role: 'staff' }))).toBe('CONFLICT');
		expect((await User.findByPk(only.id))!.role).toBe('admin');
	});
});
