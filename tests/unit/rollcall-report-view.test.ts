import { describe, expect, it } from 'vitest';
import type { RollCallReport } from '../../src/lib/contracts/rollcall-protocol';
import { durationText, rollCallReportView } from '../../server/web/rollcall-report-view';

const evacuee = (userId: number, firstName: string, lastName: string) => ({
	userId,
	firstName,
	lastName,
	phone: null,
	location: 'Main door',
	since: '2026-11-24T08:30:00Z',
	leftAt: null,
	group: 'in' as const,
});

const report: RollCallReport = {
	rollCall: {
		id: 'rc',
		ids: ['rc', 'rc-2'],
		drill: true,
		startedAt: '2026-11-24T09:45:00Z',
		startedBy: 'Mo',
		endedAt: '2026-11-24T09:52:10Z',
		marks: [
			{ id: 'm2', userId: 1, status: 'safe', at: '2026-11-24T09:47:05Z', by: 'Tess', byUserId: 8 },
			{ id: 'm3', userId: 2, status: 'absent', at: '2026-11-24T09:48:20Z', by: 'self-report', byUserId: null },
		],
	},
	people: [
		{ ...evacuee(1, 'Ana', 'Smith'), status: 'safe', markedAt: '2026-11-24T09:47:05Z', markedBy: 'Tess' },
		{ ...evacuee(2, 'Ben', 'Jones'), status: 'absent', markedAt: '2026-11-24T09:48:20Z', markedBy: 'self-report' },
		{ ...evacuee(3, 'Cy', 'Adams'), status: 'unaccounted', markedAt: null, markedBy: null },
	],
	history: [
		{ id: 'm1', userId: 1, status: 'missing', at: '2026-11-24T09:46:00Z', by: 'Mo', byUserId: 9 },
		{ id: 'm2', userId: 1, status: 'safe', at: '2026-11-24T09:47:05Z', by: 'Tess', byUserId: 8 },
		{ id: 'm3', userId: 2, status: 'absent', at: '2026-11-24T09:48:20Z', by: 'self-report', byUserId: null },
	],
	accountedForInMs: null,
};

describe('the printable roll call report', () => {
	const view = rollCallReportView(report, 'Europe/London');

	it('should say what kind of roll call it was, when and by whom it ran', () => {
		expect(view).toMatchObject({ title: 'Roll call Tuesday 24 November', kind: 'Drill', started: '09:45:00', startedBy: 'Mo', ended: '09:52:10' });
	});

	it('should count people by final status, and say the time to account for everyone only once it is known', () => {
		expect(view.counts.map((c) => [c.status, c.count])).toEqual([['safe', 1], ['absent', 1], ['missing', 0], ['unaccounted', 1]]);
		expect(view.progress).toBe('2 of 3 accounted for');
		expect(view.accountedIn).toBeNull();
		expect(rollCallReportView({ ...report, accountedForInMs: 200_000 }, 'Europe/London').accountedIn).toBe('3 min 20 s');
	});

	it('should list people by name with who marked them and when', () => {
		expect(view.people.map((p) => [p.name, p.status, p.markedAt, p.markedBy])).toEqual([
			['Cy Adams', 'Not accounted for', null, null],
			['Ben Jones', 'Not in today', '09:48:20', 'self-report'],
			['Ana Smith', 'Safe', '09:47:05', 'Tess'],
		]);
	});

	it('should keep every mark in event order and tell the superseded ones apart', () => {
		expect(view.history.map((m) => [m.name, m.status, m.by, m.winning])).toEqual([
			['Ana Smith', 'Missing', 'Mo', false],
			['Ana Smith', 'Safe', 'Tess', true],
			['Ben Jones', 'Not in today', 'self-report', true],
		]);
	});

	it('should put durations in words', () => {
		expect(durationText(45_000)).toBe('45 s');
		expect(durationText(3_720_000)).toBe('1 h 2 min');
	});
});
