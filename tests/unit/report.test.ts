import { describe, expect, it } from 'vitest';
import { reportRows, signedInSentence, type DailyReport } from '../../server/domain/attendance/report';
import { toLegacyReport } from '../../server/legacy/report-json';

const at = (time: string) => new Date(`2026-01-10T${time}:00Z`);

/** People in deliberately unsorted order, as reportRows must not rely on the input order. */
const report: DailyReport = {
	date: '2026-01-10',
	signedInCount: 3,
	people: [
		{
			userId: 1,
			firstName: 'Zoe',
			lastName: 'Adams',
			emails: ['zoe@example.com'],
			phones: [],
			status: 'signed-in',
			records: [
				{ signInAt: at('08:00'), signOutAt: at('09:00') },
				{ signInAt: at('10:00'), signOutAt: null },
			],
		},
		{
			userId: 2,
			firstName: 'Ada',
			lastName: 'Smith',
			emails: [],
			phones: ['+447700900123'],
			status: 'signed-out',
			records: [
				{ signInAt: at('13:00'), signOutAt: at('14:00') },
				{ signInAt: at('07:00'), signOutAt: at('08:00') },
			],
		},
		{
			userId: 3,
			firstName: 'Ada',
			lastName: 'Jones',
			emails: [],
			phones: [],
			status: 'signed-in',
			records: [{ signInAt: at('11:00'), signOutAt: null }],
		},
		{
			userId: 4,
			firstName: 'Bob',
			lastName: 'Brown',
			emails: [],
			phones: [],
			status: 'signed-in',
			records: [
				{ signInAt: at('06:00'), signOutAt: at('06:30') },
				{ signInAt: at('09:30'), signOutAt: null },
			],
		},
	],
};

describe('reportRows', () => {
	const rows = reportRows(report);
	const summary = (r: { firstName: string; lastName: string; signInAt: Date }) =>
		`${r.firstName} ${r.lastName} ${r.signInAt.toISOString().slice(11, 16)}`;

	it('puts only open records in signedIn, ordered by first name then last name', () => {
		expect(rows.signedIn.map(summary)).toEqual(['Ada Jones 11:00', 'Bob Brown 09:30', 'Zoe Adams 10:00']);
		expect(rows.signedIn.every((r) => r.signOutAt === null)).toBe(true);
	});

	it('puts only closed records in signedOut, ordered by first name, last name, then sign-in time', () => {
		expect(rows.signedOut.map(summary)).toEqual([
			'Ada Smith 07:00',
			'Ada Smith 13:00',
			'Bob Brown 06:00',
			'Zoe Adams 08:00',
		]);
		expect(rows.signedOut.every((r) => r.signOutAt !== null)).toBe(true);
	});

	it('keeps each row\'s sign-out time', () => {
		expect(rows.signedOut[0]).toEqual({
			id: null,
			correction: null,
			firstName: 'Ada',
			lastName: 'Smith',
			signInAt: at('07:00'),
			signOutAt: at('08:00'),
			location: null,
			via: null,
		});
	});

	it('returns no rows for an empty day', () => {
		expect(reportRows({ date: '2026-01-10', signedInCount: 0, people: [] })).toEqual({ signedIn: [], signedOut: [] });
	});
});

describe('toLegacyReport', () => {
	it('produces exactly the original report.json shape with UTC ISO timestamps and null for an open record', () => {
		const small: DailyReport = {
			date: '2026-06-30',
			signedInCount: 1,
			people: [
				{
					userId: 1,
					firstName: 'Ada',
					lastName: 'Lovelace',
					emails: ['ada@example.com'],
					phones: ['+447700900123'],
					status: 'signed-in',
					records: [
						{ signInAt: new Date('2026-06-30T07:15:30.250Z'), signOutAt: new Date('2026-06-30T11:00:00Z') },
						{ signInAt: new Date('2026-06-30T12:00:00Z'), signOutAt: null },
					],
				},
				{
					userId: 2,
					firstName: 'Bob',
					lastName: 'Brown',
					emails: [],
					phones: [],
					status: 'signed-out',
					records: [{ signInAt: new Date('2026-06-30T08:00:00+01:00'), signOutAt: new Date('2026-06-30T17:30:00+01:00') }],
				},
			],
		};
		expect(toLegacyReport(small)).toEqual({
			users: [
				{
					first_name: 'Ada',
					last_name: 'Lovelace',
					emails: ['ada@example.com'],
					phones: ['+447700900123'],
					status: 'signed-in',
					records: [
						{ sign_in__timestamp: '2026-06-30T07:15:30.250Z', sign_out__timestamp: '2026-06-30T11:00:00.000Z' },
						{ sign_in__timestamp: '2026-06-30T12:00:00.000Z', sign_out__timestamp: null },
					],
				},
				{
					first_name: 'Bob',
					last_name: 'Brown',
					emails: [],
					phones: [],
					status: 'signed-out',
					records: [{ sign_in__timestamp: '2026-06-30T07:00:00.000Z', sign_out__timestamp: '2026-06-30T16:30:00.000Z' }],
				},
			],
		});
	});

	it('leaves out internal fields such as userId and the report date', () => {
		const legacy = toLegacyReport(report);
		expect(Object.keys(legacy)).toEqual(['users']);
		for (const user of legacy.users) {
			expect(Object.keys(user).sort()).toEqual(['emails', 'first_name', 'last_name', 'phones', 'records', 'status']);
			for (const record of user.records) {
				expect(Object.keys(record).sort()).toEqual(['sign_in__timestamp', 'sign_out__timestamp']);
			}
		}
	});
});

describe('signedInSentence', () => {
	it("keeps the original app's sentence for any number but one", () => {
		expect(signedInSentence(0)).toBe('There are currently 0 people signed-in');
		expect(signedInSentence(3)).toBe('There are currently 3 people signed-in');
	});

	it('speaks of one person in the singular', () => {
		expect(signedInSentence(1)).toBe('There is currently 1 person signed-in');
	});
});
