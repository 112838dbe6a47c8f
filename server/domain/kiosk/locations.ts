/**
 * Locations: the places people sign in at (Reception, Bike entrance). A
 * location may require the kiosk's rotating presence code, for an entrance
 * where a printed poster is too easy to photograph and use from home.
 */
import { UniqueConstraintError } from 'sequelize';
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

export async function createLocation(fields: LocationFields): Promise<LocationView> {
	try {
		return locationView(await Location.create(fields));
	} catch (error) {
		if (error instanceof UniqueConstraintError) throw slugTaken(fields.slug);
		throw error;
	}
}

export async function updateLocation(id: number, fields: LocationFields): Promise<LocationView> {
	const row = await Location.findByPk(id);
	if (!row) throw new DomainError('not-found', 'No such location.');
	try {
		return locationView(await row.update(fields));
	} catch (error) {
		if (error instanceof UniqueConstraintError) throw slugTaken(fields.slug);
		throw error;
	}
}

/** Deleting a location keeps its records (their location becomes unknown) but not a kiosk standing there. */
export async function deleteLocation(id: number): Promise<void> {
	const row = await Location.findByPk(id);
	if (!row) throw new DomainError('not-found', 'No such location.');
	const kiosks = await Kiosk.count({ where: { locationId: id, revokedAt: null } });
	if (kiosks > 0) throw new DomainError('conflict', `${kiosks === 1 ? 'A kiosk stands' : `${kiosks} kiosks stand`} at ${row.name}: move or revoke it first.`);
	await row.destroy();
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
