/**
 * GET /report.json in the original's exact shape, which existing clients
 * parse: users ordered by first then last name, records by sign-in time,
 * timestamps as ISO 8601 in UTC.
 */
import type { DailyReport } from '../domain/attendance/report';

export interface LegacyReport {
	users: Array<{
		first_name: string;
		last_name: string;
		emails: string[];
		phones: string[];
		status: 'signed-in' | 'signed-out';
		records: Array<{ sign_in__timestamp: string; sign_out__timestamp: string | null }>;
	}>;
}

export function toLegacyReport(report: DailyReport): LegacyReport {
	return {
		users: report.people.map((p) => ({
			first_name: p.firstName,
			last_name: p.lastName,
			emails: p.emails,
			phones: p.phones,
			status: p.status,
			records: p.records.map((r) => ({
				sign_in__timestamp: r.signInAt.toISOString(),
				sign_out__timestamp: r.signOutAt?.toISOString() ?? null,
			})),
		})),
	};
}
