/**
 * Locations: the places people sign in at (Reception, Bike entrance). A
 * location may require the kiosk's rotating presence code, for an entrance
 * where a printed poster is too easy to photograph and use from home.
 */
import { UniqueConstraintError, type Transaction } from 'sequelize';
import { audited, type AdminActor } from '../shared/admin-audit';
import { Location } from '../../db/models/attendance.model';
import { Kiosk } from '../../db/models/operations.model';
import { DomainError } from '../shared/errors';

export interface LocationView {
	id: number;
	slug: string;
	name: string;
	requiresPresence: boolean;
}

export interface LocationFields {
	name: string;
	slug: string;
	requiresPresence: boolean;
}

export const locationView = (l: Location): LocationView => ({ id: l.id, slug: l.slug, name: l.name, requiresPresence: Boolean(l.requiresPresence) });

const slugTaken = (slug: string) => new DomainError('conflict', `Another location already uses the slug "${slug}".`, 'slug');

export async function listLocations(): Promise<LocationView[]> {
	return (await Location.findAll({ order: [['name', 'ASC']] })).map(locationView);
}

export async function locationBySlug(slug: string): Promise<LocationView | null> {
	const row = await Location.findOne({ where: { slug: slug.toLowerCase() } });
	return row ? locationView(row) : null;
}

/** A slug taken is found before the insert: a failed statement would end the transaction on some databases. */
async function checkSlugFree(slug: string, exceptId: number | null, t: Transaction): Promise<void> {
	const holder = await Location.findOne({ where: { slug }, transaction: t });
	if (holder && holder.id !== exceptId) throw slugTaken(slug);
}

export function createLocation(fields: LocationFields, actor?: AdminActor): Promise<LocationView> {
	return audited(
		actor,
		'location-created',
		async (t) => {
			await checkSlugFree(fields.slug, null, t);
			return locationView(await Location.create(fields, { transaction: t }).catch(orSlugTaken(fields.slug)));
		},
		(view) => ({ details: { locationId: view.id, ...fields } }),
	);
}

export function updateLocation(id: number, fields: LocationFields, actor?: AdminActor): Promise<LocationView> {
	let before: LocationFields | undefined;
	return audited(
		actor,
		'location-changed',
		async (t) => {
			const row = await Location.findByPk(id, { transaction: t });
			if (!row) throw new DomainError('not-found', 'No such location.');
			before = { name: row.name, slug: row.slug, requiresPresence: row.requiresPresence };
			await checkSlugFree(fields.slug, id, t);
			return locationView(await row.update(fields, { transaction: t }).catch(orSlugTaken(fields.slug)));
		},
		() => ({ details: { locationId: id, before, after: fields } }),
	);
}

const orSlugTaken = (slug: string) => (error: unknown): never => {
	if (error instanceof UniqueConstraintError) throw slugTaken(slug);
	throw error;
};

/** Deleting a location keeps its records (their location becomes unknown) but not a kiosk standing there. */
export async function deleteLocation(id: number, actor?: AdminActor): Promise<void> {
	await audited(
		actor,
		'location-deleted',
		async (t) => {
			const row = await Location.findByPk(id, { transaction: t });
			if (!row) throw new DomainError('not-found', 'No such location.');
			const kiosks = await Kiosk.count({ where: { locationId: id, revokedAt: null }, transaction: t });
			if (kiosks > 0) throw new DomainError('conflict', `${kiosks === 1 ? 'A kiosk stands' : `${kiosks} kiosks stand`} at ${row.name}: move or revoke it first.`);
			await row.destroy({ transaction: t });
			return { name: row.name, slug: row.slug };
		},
		(gone) => ({ details: { locationId: id, ...gone } }),
	);
}

export interface PlaceDirectory {
	locations: LocationView[];
	/** Live kiosks and where they stand, so a phone can name the place of a presence code offline. */
	kiosks: Array<{ id: number; location: { slug: string; name: string } | null }>;
}

/** What a phone keeps to show "Sign in at Bike entrance" offline: two small reads. */
export async function placeDirectory(): Promise<PlaceDirectory> {
	const [locations, kiosks] = await Promise.all([listLocations(), Kiosk.findAll({ attributes: ['id', 'locationId'], where: { revokedAt: null } })]);
	const byId = new Map(locations.map((l) => [l.id, l]));
	return {
		locations,
		kiosks: kiosks.map((k) => {
			const location = k.locationId !== null ? byId.get(k.locationId) : undefined;
			return { id: k.id, location: location ? { slug: location.slug, name: location.name } : null };
		}),
	};
}
