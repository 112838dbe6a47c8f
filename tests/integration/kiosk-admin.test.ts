/**
 * Admins manage locations, kiosks and badges (issue 9); staff and marshals
 * are refused every one of those procedures and change nothing.
 */
import { expect, it } from 'vitest';
import { AuditRecord, Location } from '../../server/db/models/attendance.model';
import { Kiosk } from '../../server/db/models/operations.model';
import { Badge } from '../../server/db/models/people.model';
import { badgeToShow, liveBadges, openSealed, sealSecret } from '../../server/domain/kiosk/badges';
import { badgeHash } from '../../src/lib/contracts/kiosk-protocol';
import { useTestDatabase } from './support/database';
import { newUser } from './support/factories';
import { newLocation } from './support/kiosks';
import { callerAs, trpcCode } from './support/people';

const db = await useTestDatabase();

async function counts() {
	return { locations: await Location.count(), kiosks: await Kiosk.count(), badges: await Badge.count(), revokedKiosks: (await Kiosk.findAll()).filter((k) => k.revokedAt).length };
}

db.describe(`kiosk administration (${db.dialect})`, () => {
	it('an admin creates, renames and deletes a location; a taken slug and bad input are refused with a clear message', async () => {
		const api = callerAs(await newUser({ role: 'admin' }));
		const bike = await api.admin.locations.create({ name: 'Bike entrance', slug: 'Bike-Entrance', requiresPresence: false });
		expect(bike).toMatchObject({ name: 'Bike entrance', slug: 'bike-entrance', requiresPresence: false });
		await expect(api.admin.locations.create({ name: 'Other', slug: 'bike-entrance', requiresPresence: false })).rejects.toThrow('Another location already uses the slug "bike-entrance".');
		await expect(api.admin.locations.create({ name: '', slug: 'x', requiresPresence: false })).rejects.toThrow('The name is required.');
		await expect(api.admin.locations.create({ name: 'X', slug: 'a b', requiresPresence: false })).rejects.toThrow(/slug may use/);
		const renamed = await api.admin.locations.update({ id: bike.id, name: 'Bike door', slug: 'bike-door', requiresPresence: true });
		expect(renamed).toMatchObject({ name: 'Bike door', slug: 'bike-door', requiresPresence: true });
		expect(await trpcCode(api.admin.locations.update({ id: 999_999, name: 'Y', slug: 'y', requiresPresence: false }))).toBe('NOT_FOUND');
		await api.admin.locations.delete({ id: bike.id });
		expect(await Location.findByPk(bike.id)).toBeNull();
	});

	it('an admin creates a kiosk with a pairing code, re-issues it and revokes the kiosk; the list shows its state', async () => {
		const api = callerAs(await newUser({ role: 'admin' }));
		const reception = await newLocation({ name: 'Reception' });
		const { kiosk, pairing } = await api.admin.kiosks.create({ name: 'Front desk', locationId: reception.id });
		expect(pairing.code).toMatch(/^[A-Z2-9]{8}$/);
		expect(kiosk).toMatchObject({ name: 'Front desk', paired: false, location: { name: 'Reception' }, pairingCodeExpiresAt: pairing.expiresAt });
		const again = await api.admin.kiosks.reissueCode({ id: kiosk.id });
		expect(again.code).not.toBe(pairing.code);
		await expect(api.admin.locations.delete({ id: reception.id })).rejects.toThrow(/A kiosk stands at Reception/);
		await api.admin.kiosks.revoke({ id: kiosk.id });
		const listed = (await api.admin.kiosks.list()).find((k) => k.id === kiosk.id)!;
		expect(listed.revokedAt).not.toBeNull();
		expect(listed.pairingCodeExpiresAt).toBeNull();
		expect(await trpcCode(api.admin.kiosks.reissueCode({ id: kiosk.id }))).toBe('CONFLICT');
		expect(await trpcCode(api.admin.kiosks.create({ name: 'Ghost', locationId: 999_999 }))).toBe('BAD_REQUEST');
	});

	it('an admin issues badges for many people at once and revokes them', async () => {
		const api = callerAs(await newUser({ role: 'admin' }));
		const people = await Promise.all([newUser(), newUser(), newUser()]);
		const issued = await api.admin.badges.issue({ userIds: people.map((p) => p.id) });
		expect(issued).toHaveLength(3);
		for (const badge of issued) expect(badge.badgeHash).toBe(await badgeHash(badge.path.slice(3)));
		expect(await api.admin.badges.revoke({ userIds: [people[0]!.id] })).toEqual({ revoked: 1 });
		expect((await liveBadges(people.map((p) => p.id))).size).toBe(2);
		expect(await trpcCode(api.admin.badges.issue({ userIds: [999_999] }))).toBe('NOT_FOUND');
	});

	it('audits every kiosk, location and badge change with the admin who made it, and none that was refused', async () => {
		const admin = await newUser({ role: 'admin' });
		const api = callerAs(admin);
		const person = await newUser();
		const actions = async () =>
			(await AuditRecord.findAll({ where: { actorId: admin.id }, order: [['id', 'ASC']] })).map((r) => ({ action: r.action, details: JSON.parse(r.details ?? '{}') as Record<string, unknown> }));

		const place = await api.admin.locations.create({ name: 'Side door', slug: `side-${person.id}`, requiresPresence: false });
		await api.admin.locations.update({ id: place.id, name: 'Side gate', slug: `side-${person.id}`, requiresPresence: true });
		await expect(api.admin.locations.create({ name: 'Twin', slug: `side-${person.id}`, requiresPresence: false })).rejects.toThrow(/already uses/);
		const { kiosk } = await api.admin.kiosks.create({ name: 'Gate kiosk', locationId: place.id });
		await api.admin.kiosks.reissueCode({ id: kiosk.id });
		await api.admin.kiosks.revoke({ id: kiosk.id });
		await api.admin.locations.delete({ id: place.id });
		await api.admin.badges.issue({ userIds: [person.id] });
		await api.admin.badges.revoke({ userIds: [person.id] });

		const audited = await actions();
		expect(audited.map((a) => a.action)).toEqual([
			'location-created',
			'location-changed',
			'kiosk-created',
			'kiosk-code-issued',
			'kiosk-revoked',
			'location-deleted',
			'badges-issued',
			'badges-revoked',
		]);
		expect(audited[1]!.details).toMatchObject({ before: { name: 'Side door', requiresPresence: false }, after: { name: 'Side gate', requiresPresence: true } });
		expect(audited[2]!.details).toMatchObject({ kioskId: kiosk.id, name: 'Gate kiosk', locationId: place.id });
		expect(audited[7]!.details).toEqual({ userIds: [person.id], revoked: 1 });
	});

	for (const role of ['staff', 'marshal'] as const) {
		it(`refuses a ${role} every kiosk, location and badge procedure, changing nothing`, async () => {
			const someone = await newUser({ role });
			const api = callerAs(someone);
			const location = await newLocation();
			const before = await counts();
			const attempts = [
				api.admin.locations.list(),
				api.admin.locations.create({ name: 'Sneaky', slug: 'sneaky', requiresPresence: false }),
				api.admin.locations.update({ id: location.id, name: 'Sneaky', slug: 'sneaky', requiresPresence: false }),
				api.admin.locations.delete({ id: location.id }),
				api.admin.kiosks.list(),
				api.admin.kiosks.create({ name: 'Sneaky', locationId: location.id }),
				api.admin.kiosks.reissueCode({ id: 1 }),
				api.admin.kiosks.revoke({ id: 1 }),
				api.admin.badges.issue({ userIds: [someone.id] }),
				api.admin.badges.revoke({ userIds: [someone.id] }),
			];
			for (const attempt of attempts) expect(await trpcCode(attempt)).toBe('FORBIDDEN');
			expect(await counts()).toEqual(before);
			expect(await Location.findByPk(location.id)).toMatchObject({ name: location.name });
		});
	}
});

db.describe(`badge secrets (${db.dialect})`, () => {
	it('shows a person the same badge again, issued on first view, with only its hash and seal stored', async () => {
		const user = await newUser();
		const first = await badgeToShow(user.id);
		const again = await badgeToShow(user.id);
		expect(again.secret).toBe(first.secret);
		const row = await Badge.findOne({ where: { userId: user.id } });
		expect(row!.badgeHash).toBe(await badgeHash(first.secret));
		expect(JSON.stringify(row!.toJSON())).not.toContain(first.secret);
	});

	it('opens only its own seals', () => {
		const sealed = sealSecret('a-secret');
		expect(openSealed(sealed)).toBe('a-secret');
		expect(openSealed(sealed.slice(0, -2) + 'AA')).toBeNull();
		expect(openSealed('v2.x.y')).toBeNull();
	});
});
