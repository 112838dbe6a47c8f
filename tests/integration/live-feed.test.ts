import { isHttpError, type RequestEvent } from '@sveltejs/kit';
import { afterEach, expect, it } from 'vitest';
import { toSessionUser } from '../../server/api/context';
import { Location, SignInRecord } from '../../server/db/models/attendance.model';
import { recordAttendance } from '../../server/domain/attendance/attendance';
import { LiveFeed, type FeedMessage } from '../../server/domain/attendance/live-feed';
import { whoIsIn } from '../../server/domain/attendance/presence-now';
import { localDate } from '../../server/domain/shared/clock';
import { events } from '../../server/domain/shared/events';
import { liveStreamResponse } from '../../server/web/live-stream';
import { GET as streamGet } from '../../src/routes/admin/live/+server';
import { GET as snapshotGet } from '../../src/routes/admin/live/snapshot/+server';
import { useTestDatabase } from './support/database';
import { newUser, webAudit } from './support/factories';
import { countStatements } from './support/statements';

const db = await useTestDatabase();

const detachers: (() => void)[] = [];
afterEach(() => detachers.splice(0).forEach((off) => off()));

function attachedFeed() {
	const feed = new LiveFeed();
	detachers.push(feed.attach(events));
	const seen: FeedMessage[] = [];
	detachers.push(feed.subscribe((m) => seen.push(m)));
	return { feed, seen };
}

const signIn = (userId: number, at?: Date) => recordAttendance({ userId, kind: 'sign-in', audit: webAudit, at });
const signOut = (userId: number) => recordAttendance({ userId, kind: 'sign-out', audit: webAudit });

/** Reads an SSE body until `until` says it has enough; returns the events (name, id, data). */
async function readEvents(response: Response, until: (events: { event: string; id?: string; data: unknown }[]) => boolean) {
	const reader = response.body!.getReader();
	const decoder = new TextDecoder();
	let text = '';
	const parsed: { event: string; id?: string; data: unknown }[] = [];
	while (!until(parsed)) {
		const { value, done } = await reader.read();
		if (done) break;
		text += decoder.decode(value);
		const blocks = text.split('\n\n');
		text = blocks.pop()!;
		for (const block of blocks) {
			const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':') && l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
			if (fields.event) parsed.push({ event: fields.event, id: fields.id, data: JSON.parse(fields.data!) });
		}
	}
	await reader.cancel();
	return parsed;
}

db.describe(`live view (${db.dialect})`, () => {
	it('lists who is in now with where they came in, and flags an open record from an earlier day', async () => {
		const hall = await Location.create({ slug: `hall-${Date.now()}`, name: 'Main hall' });
		const ada = await newUser({ firstName: 'Ada', lastName: 'Live' });
		const old = await newUser({ firstName: 'Olive', lastName: 'Overnight' });
		const gone = await newUser({ firstName: 'Gus', lastName: 'Gone' });
		await signIn(ada.id);
		await SignInRecord.update({ locationId: hall.id }, { where: { userId: ada.id } });
		const yesterday = new Date(Date.now() - 86_400_000);
		await SignInRecord.create({ userId: old.id, date: localDate(yesterday), signInAt: yesterday, signInAuditId: null });
		await signIn(gone.id);
		await signOut(gone.id);

		const now = await whoIsIn();
		const mine = now.people.filter((p) => [ada.id, old.id, gone.id].includes(p.userId));
		expect(mine).toEqual([
			expect.objectContaining({ userId: old.id, stale: true, date: localDate(yesterday) }),
			expect.objectContaining({ userId: ada.id, firstName: 'Ada', lastName: 'Live', location: 'Main hall', stale: false, date: now.today }),
		]);
	});

	it('turns a sign-in and a sign-out into numbered changes for every stream', async () => {
		const { feed, seen } = attachedFeed();
		const bea = await newUser({ firstName: 'Bea', lastName: 'Changing' });
		await signIn(bea.id);
		await expect.poll(() => seen.length).toBe(1);
		await signOut(bea.id);
		await expect.poll(() => seen.length).toBe(2);
		const [first, second] = seen as Extract<FeedMessage, { kind: 'change' }>[];
		expect(first!.change).toMatchObject({ userId: bea.id, row: { firstName: 'Bea', stale: false } });
		expect(second!.change).toEqual({ userId: bea.id, row: null, today: expect.any(String) });
		expect(feed.changesSince(first!.id)).toEqual([{ id: second!.id, change: second!.change }]);
		expect(feed.changesSince(second!.id)).toEqual([]);
		expect(feed.changesSince('another-instance-7')).toBeNull();
	});

	it('streams a snapshot first, then changes; a reconnect with Last-Event-ID gets only what it missed', async () => {
		const feed = new LiveFeed();
		detachers.push(feed.attach(events));
		const cy = await newUser({ firstName: 'Cy', lastName: 'Streamer' });
		const controller = new AbortController();
		const first = liveStreamResponse(feed, null, controller.signal);
		expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/);
		const reading = readEvents(first, (e) => e.length >= 2);
		await new Promise((resolve) => setTimeout(resolve, 50));
		await signIn(cy.id);
		const got = await reading;
		expect(got[0]!.event).toBe('snapshot');
		expect(got[1]).toMatchObject({ event: 'presence', data: { userId: cy.id, row: { firstName: 'Cy' } } });
		expect(feed.streamCount).toBe(0);

		await signOut(cy.id);
		await expect.poll(() => feed.changesSince(got[1]!.id!)?.length).toBe(1);
		const again = await readEvents(liveStreamResponse(feed, got[1]!.id!), (e) => e.length >= 1);
		expect(again).toEqual([{ event: 'presence', id: expect.any(String), data: { userId: cy.id, row: null, today: expect.any(String) } }]);
		const unknown = await readEvents(liveStreamResponse(feed, 'elsewhere-1'), (e) => e.length >= 1);
		expect(unknown[0]!.event).toBe('snapshot');
	});

	it('looks nothing up while nobody has watched for a while, and sends the next client a snapshot', async () => {
		const feed = new LiveFeed();
		const dee = await newUser({ firstName: 'Dee', lastName: 'Unwatched' });
		await signIn(dee.id);
		const unwatched = await countStatements(() => feed.changed(dee.id));
		expect(unwatched.statements).toEqual([]);
		expect(feed.changesSince(`anything-1`)).toBeNull();

		const seen: FeedMessage[] = [];
		const off = feed.subscribe((m) => seen.push(m));
		const watched = await countStatements(() => feed.changed(dee.id));
		off();
		expect(watched.statements.length).toBeGreaterThan(0);
		expect(seen).toEqual([{ kind: 'change', id: expect.any(String), change: expect.objectContaining({ userId: dee.id, row: expect.objectContaining({ firstName: 'Dee' }) }) }]);
		// Just closed: a reconnect within the grace still gets the changes it missed.
		await feed.changed(dee.id);
		expect(feed.changesSince((seen[0] as { id: string }).id)).toHaveLength(1);
	});

	for (const role of ['staff', 'marshal'] as const) {
		it(`refuses a ${role} the live stream and the polling snapshot with 403`, async () => {
			const someone = await newUser({ role });
			for (const [path, handler] of [['/admin/live', streamGet], ['/admin/live/snapshot', snapshotGet]] as const) {
				const request = new Request(`http://register.test${path}`);
				const event = { request, url: new URL(request.url), locals: { user: toSessionUser(someone), sessionToken: null } } as unknown as RequestEvent;
				let status = 0;
				try {
					await (handler as (e: RequestEvent) => unknown)(event);
				} catch (error) {
					if (isHttpError(error)) status = error.status;
				}
				expect({ path, status }).toEqual({ path, status: 403 });
			}
		});
	}
});
