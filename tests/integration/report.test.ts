import { expect, it } from 'vitest';
import { ContactDetail } from '../../server/db/models/people.model';
import { recordAttendance } from '../../server/domain/attendance/attendance';
import { dailyReport } from '../../server/domain/attendance/report';
import { toLegacyReport } from '../../server/legacy/report-json';
import { useTestDatabase } from './support/database';
import { gmt, newUser, webAudit } from './support/factories';

const db = await useTestDatabase();

const act = (userId: number, kind: 'sign-in' | 'sign-out', at: string) =>
	recordAttendance({ userId, kind, audit: webAudit, at: gmt(at) });

db.describe(`daily report (${db.dialect})`, () => {
	it('lists everyone with a record that day in the reference shape, ordered by name and sign-in time', async () => {
		const zoe = await newUser({ firstName: 'Zoe', lastName: 'Adams', email: 'zoe@example.com' });
		const amy = await newUser({ firstName: 'Amy', lastName: 'Brown', email: 'amy@example.com' });
		const amyB = await newUser({ firstName: 'Amy', lastName: 'Able' });
		await ContactDetail.create({ method: 'sms', value: '+447700900123', userId: amy.id });
		const other = await newUser({ firstName: 'Not', lastName: 'Today' });

		await act(zoe.id, 'sign-in', '2026-02-02T08:00:00');
		await act(amy.id, 'sign-in', '2026-02-02T07:30:00');
		await act(amy.id, 'sign-out', '2026-02-02T12:00:00');
		await act(amy.id, 'sign-in', '2026-02-02T13:00:00');
		await act(amyB.id, 'sign-in', '2026-02-02T09:00:00');
		await act(amyB.id, 'sign-out', '2026-02-02T17:00:00');
		await act(other.id, 'sign-in', '2026-02-03T09:00:00');

		const report = await dailyReport('2026-02-02');
		expect(report.signedInCount).toBe(2);
		expect(toLegacyReport(report)).toEqual({
			users: [
				{
					first_name: 'Amy',
					last_name: 'Able',
					emails: [],
					phones: [],
					status: 'signed-out',
					records: [{ sign_in__timestamp: '2026-02-02T09:00:00.000Z', sign_out__timestamp: '2026-02-02T17:00:00.000Z' }],
				},
				{
					first_name: 'Amy',
					last_name: 'Brown',
					emails: ['amy@example.com'],
					phones: ['+447700900123'],
					status: 'signed-in',
					records: [
						{ sign_in__timestamp: '2026-02-02T07:30:00.000Z', sign_out__timestamp: '2026-02-02T12:00:00.000Z' },
						{ sign_in__timestamp: '2026-02-02T13:00:00.000Z', sign_out__timestamp: null },
					],
				},
				{
					first_name: 'Zoe',
					last_name: 'Adams',
					emails: ['zoe@example.com'],
					phones: [],
					status: 'signed-in',
					records: [{ sign_in__timestamp: '2026-02-02T08:00:00.000Z', sign_out__timestamp: null }],
				},
			],
		});
	});

	it('is empty for a day nobody came', async () => {
		expect(await dailyReport('2026-02-08')).toEqual({ date: '2026-02-08', signedInCount: 0, people: [] });
	});
});
