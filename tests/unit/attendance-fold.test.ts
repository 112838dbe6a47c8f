import { describe, expect, it } from 'vitest';
import { fold, orderFacts, type Fact, type FoldRecord } from '../../src/lib/contracts/attendance-fold';
import { localDateIn } from '../../src/lib/contracts/building-time';

const HOUR = 3_600_000;
const rules = { maxShiftMs: 16 * HOUR, dateOf: (at: number) => localDateIn('Europe/London', new Date(at)) };
/** Times in January, when London is on UTC: 'd1 08:00' is 12 January 08:00. */
const t = (when: string) => {
	const [day, time] = when.split(' ') as [string, string];
	return Date.parse(`2026-01-${String(11 + Number(day.slice(1))).padStart(2, '0')}T${time}:00Z`);
};
let arrival = 0;
const fact = (id: string, kind: Fact['kind'], when: string, device: string | null = null, seq: number | null = null): Fact => ({
	id,
	kind,
	at: t(when),
	deviceId: device,
	seq,
	arrival: arrival++,
});
const span = (r: FoldRecord) => `${r.date} ${new Date(r.signInAt).toISOString().slice(11, 16)}–${r.signOutAt === null ? 'open' : new Date(r.signOutAt).toISOString().slice(11, 16)}`;

const cases: Array<{ name: string; facts: Fact[]; open?: FoldRecord[]; records: string[]; effects?: Record<string, string> }> = [
	{
		name: 'a sign-in then a sign-out make one record',
		facts: [fact('in', 'sign-in', 'd1 08:00'), fact('out', 'sign-out', 'd1 17:00')],
		records: ['2026-01-12 08:00–17:00'],
		effects: { in: 'opened', out: 'closed' },
	},
	{
		name: 'a late sign-in from 08:00 and a sign-out at 17:00 that arrived first make one record 08:00–17:00',
		facts: [fact('out', 'sign-out', 'd1 17:00', 'kiosk', 1), fact('in', 'sign-in', 'd1 08:00', 'phone', 1)],
		records: ['2026-01-12 08:00–17:00'],
		effects: { in: 'opened', out: 'closed' },
	},
	{
		name: 'a second sign-in while in changes nothing',
		facts: [fact('a', 'sign-in', 'd1 08:00', 'kiosk', 1), fact('b', 'sign-in', 'd1 08:55', 'phone', 1), fact('out', 'sign-out', 'd1 17:00', 'kiosk', 2)],
		records: ['2026-01-12 08:00–17:00'],
		effects: { a: 'opened', b: 'already-in', out: 'closed' },
	},
	{
		name: 'a sign-out while out changes nothing and names the sign-out before it',
		facts: [fact('in', 'sign-in', 'd1 08:00'), fact('out1', 'sign-out', 'd1 17:00', 'kiosk', 1), fact('out2', 'sign-out', 'd1 17:30', 'phone', 1)],
		records: ['2026-01-12 08:00–17:00'],
		effects: { out2: 'already-out' },
	},
	{
		name: 'signing in again after signing out opens a second record that day',
		facts: [fact('a', 'sign-in', 'd1 08:00'), fact('b', 'sign-out', 'd1 12:00'), fact('c', 'sign-in', 'd1 13:00'), fact('d', 'sign-out', 'd1 17:00')],
		records: ['2026-01-12 08:00–12:00', '2026-01-12 13:00–17:00'],
	},
	{
		name: 'a sign-out after midnight closes a night shift and the record keeps its sign-in date',
		facts: [fact('in', 'sign-in', 'd1 22:00'), fact('out', 'sign-out', 'd2 06:00')],
		records: ['2026-01-12 22:00–06:00'],
		effects: { out: 'closed' },
	},
	{
		name: 'a record older than the maximum shift is left open (did not sign out) and a new day starts afresh',
		facts: [fact('in1', 'sign-in', 'd1 08:00'), fact('in2', 'sign-in', 'd2 09:00'), fact('out', 'sign-out', 'd2 17:00')],
		records: ['2026-01-12 08:00–open', '2026-01-13 09:00–17:00'],
		effects: { in2: 'opened', out: 'closed' },
	},
	{
		name: 'a sign-out the next morning past the maximum shift closes nothing',
		facts: [fact('in', 'sign-in', 'd1 08:00'), fact('out', 'sign-out', 'd2 07:00')],
		records: ['2026-01-12 08:00–open'],
		effects: { out: 'already-out' },
	},
	{
		name: 'a device keeps its own order when its clock went back in between',
		facts: [fact('in', 'sign-in', 'd1 09:00', 'phone', 1), fact('out', 'sign-out', 'd1 08:30', 'phone', 2)],
		records: ['2026-01-12 09:00–09:00'],
		effects: { in: 'opened', out: 'closed' },
	},
	{
		name: 'two devices of one person signing in at once make one record',
		facts: [fact('a', 'sign-in', 'd1 08:00', 'phone', 1), fact('b', 'sign-in', 'd1 08:00', 'laptop', 1)],
		records: ['2026-01-12 08:00–open'],
		effects: { a: 'opened', b: 'already-in' },
	},
	{
		name: 'a record open from before the window is closed by a sign-out within the shift',
		open: [{ recordId: 7, date: '2026-01-11', signInAt: t('d0 23:00'), signOutAt: null, signInFactId: null, signOutFactId: null }],
		facts: [fact('out', 'sign-out', 'd1 05:00')],
		records: ['2026-01-11 23:00–05:00'],
	},
];

describe('the fold of a day', () => {
	for (const c of cases) {
		it(c.name, () => {
			const result = fold(c.facts, c.open ?? [], rules);
			expect(result.records.map(span)).toEqual(c.records);
			for (const [id, kind] of Object.entries(c.effects ?? {})) expect(result.effects.get(id)?.kind, id).toBe(kind);
		});
	}

	it('gives the same records whatever order the facts arrive in', () => {
		const facts = [fact('a', 'sign-in', 'd1 08:00', 'p', 1), fact('b', 'sign-out', 'd1 12:00', 'k', 1), fact('c', 'sign-in', 'd1 13:00', 'p', 2), fact('d', 'sign-out', 'd1 17:00', 'k', 2)];
		const expected = fold(facts, [], rules).records.map(span);
		for (const shuffled of [[...facts].reverse(), [facts[2]!, facts[0]!, facts[3]!, facts[1]!]]) {
			expect(fold(shuffled, [], rules).records.map(span)).toEqual(expected);
		}
	});

	it('names when and by which fact an already-done action was done', () => {
		const result = fold([fact('in', 'sign-in', 'd1 08:00'), fact('out1', 'sign-out', 'd1 17:00'), fact('out2', 'sign-out', 'd1 17:30')], [], rules);
		expect(result.effects.get('out2')).toEqual({ kind: 'already-out', at: t('d1 17:00'), by: 'out1' });
	});
});

describe('orderFacts', () => {
	it('merges devices by time while keeping each device in its sequence', () => {
		const facts = [fact('p2', 'sign-out', 'd1 08:30', 'phone', 2), fact('k1', 'sign-in', 'd1 08:45', 'kiosk', 1), fact('p1', 'sign-in', 'd1 09:00', 'phone', 1)];
		expect(orderFacts(facts).map((f) => f.id)).toEqual(['k1', 'p1', 'p2']);
	});
});

/** An admin's correction of the record that began at `target` ('d1 08:00'), or an added visit. */
const correction = (id: string, kind: 'correction-sign-in' | 'correction-sign-out', when: string, target: string | null): Fact => ({
	...fact(id, kind, when),
	target: target === null ? null : t(target),
});

const correctionCases: typeof cases = [
	{
		name: 'a correction sets the missing sign-out of a record left open',
		facts: [fact('in', 'sign-in', 'd1 08:00'), correction('fix', 'correction-sign-out', 'd1 17:00', 'd1 08:00')],
		records: ['2026-01-12 08:00–17:00'],
		effects: { in: 'opened', fix: 'corrected' },
	},
	{
		name: 'a correction closes a record older than the maximum shift that no device sign-out could close',
		facts: [fact('in', 'sign-in', 'd1 08:00'), fact('in2', 'sign-in', 'd2 09:00'), correction('fix', 'correction-sign-out', 'd1 17:30', 'd1 08:00')],
		records: ['2026-01-12 08:00–17:30', '2026-01-13 09:00–open'],
		effects: { fix: 'corrected', in2: 'opened' },
	},
	{
		name: "a correction's sign-out outranks a device sign-out at another time, even one arriving after it",
		facts: [fact('in', 'sign-in', 'd1 08:00'), correction('fix', 'correction-sign-out', 'd1 17:00', 'd1 08:00'), fact('late', 'sign-out', 'd1 12:00', 'phone', 1)],
		records: ['2026-01-12 08:00–17:00'],
		effects: { fix: 'corrected' },
	},
	{
		name: 'a device sign-out after a corrected sign-out is a no-op, and a later sign-in opens a new record',
		facts: [fact('in', 'sign-in', 'd1 08:00'), correction('fix', 'correction-sign-out', 'd1 12:00', 'd1 08:00'), fact('out', 'sign-out', 'd1 12:30'), fact('back', 'sign-in', 'd1 13:00'), fact('out2', 'sign-out', 'd1 17:00')],
		records: ['2026-01-12 08:00–12:00', '2026-01-12 13:00–17:00'],
		effects: { out: 'already-out', back: 'opened', out2: 'closed' },
	},
	{
		name: 'a correction moves a sign-in earlier, and a device sign-in in between is then a no-op',
		facts: [fact('in', 'sign-in', 'd1 09:30', 'phone', 1), fact('out', 'sign-out', 'd1 17:00', 'phone', 2), correction('fix', 'correction-sign-in', 'd1 08:45', 'd1 09:30')],
		records: ['2026-01-12 08:45–17:00'],
		effects: { fix: 'corrected', out: 'closed' },
	},
	{
		name: 'a correction moves a sign-in later, and the sign-out correction of the same record follows it',
		facts: [
			fact('in', 'sign-in', 'd1 07:00'),
			correction('out', 'correction-sign-out', 'd1 16:00', 'd1 07:00'),
			correction('fix', 'correction-sign-in', 'd1 08:00', 'd1 07:00'),
		],
		records: ['2026-01-12 08:00–16:00'],
		effects: { fix: 'corrected', out: 'corrected' },
	},
	{
		name: 'the latest of two corrections of the same sign-out wins',
		facts: [fact('in', 'sign-in', 'd1 08:00'), correction('a', 'correction-sign-out', 'd1 18:00', 'd1 08:00'), correction('b', 'correction-sign-out', 'd1 17:00', 'd1 08:00')],
		records: ['2026-01-12 08:00–17:00'],
	},
	{
		name: 'a sign-in correction of a record open from before the window moves that record',
		open: [{ recordId: 7, date: '2026-01-11', signInAt: t('d0 23:00'), signOutAt: null, signInFactId: null, signOutFactId: null }],
		facts: [correction('fix', 'correction-sign-in', 'd0 22:00', 'd0 23:00'), fact('out', 'sign-out', 'd1 05:00')],
		records: ['2026-01-11 22:00–05:00'],
		effects: { fix: 'corrected', out: 'closed' },
	},
	{
		name: 'an admin adds a visit no device recorded',
		facts: [correction('in', 'correction-sign-in', 'd1 09:00', null), correction('out', 'correction-sign-out', 'd1 12:00', 'd1 09:00')],
		records: ['2026-01-12 09:00–12:00'],
		effects: { in: 'corrected', out: 'corrected' },
	},
	{
		name: 'a sign-out correction with no record to correct changes nothing',
		facts: [correction('out', 'correction-sign-out', 'd1 12:00', 'd1 09:00')],
		records: [],
		effects: { out: 'already-out' },
	},
];

describe('corrections in the fold', () => {
	for (const c of correctionCases) {
		it(c.name, () => {
			const result = fold(c.facts, c.open ?? [], rules);
			expect(result.records.map(span)).toEqual(c.records);
			for (const [id, kind] of Object.entries(c.effects ?? {})) expect(result.effects.get(id)?.kind, id).toBe(kind);
		});
	}

	it('marks a corrected record with the correction that last touched it', () => {
		const result = fold([fact('in', 'sign-in', 'd1 08:00'), correction('fix', 'correction-sign-out', 'd1 17:00', 'd1 08:00')], [], rules);
		expect(result.records[0]).toMatchObject({ signOutFactId: 'fix', correctionFactId: 'fix' });
		const moved = fold([fact('in', 'sign-in', 'd1 09:00'), correction('early', 'correction-sign-in', 'd1 08:00', 'd1 09:00')], [], rules);
		expect(moved.records[0]).toMatchObject({ signInFactId: 'in', correctionFactId: 'early' });
	});

	it('gives the same corrected records whatever order the device facts arrive in', () => {
		const device = [fact('a', 'sign-in', 'd1 08:00', 'p', 1), fact('b', 'sign-out', 'd1 12:00', 'k', 1)];
		const fix = correction('fix', 'correction-sign-out', 'd1 13:00', 'd1 08:00');
		const expected = ['2026-01-12 08:00–13:00'];
		expect(fold([...device, fix], [], rules).records.map(span)).toEqual(expected);
		expect(fold([fix, ...device].reverse(), [], rules).records.map(span)).toEqual(expected);
	});
});
