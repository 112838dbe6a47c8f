/**
 * The printable roll call report (issue 12), ready to show: building-local
 * times, counts by final status, the time it took to account for everyone,
 * and every mark in event order (superseded ones included, so a changed
 * mark shows who changed it and when). Pure, so it is tested without a
 * database.
 */
import { localDateIn, localTimeIn, dateInWords } from '../../src/lib/contracts/building-time';
import type { RollCallReport, RollCallStatus } from '../../src/lib/contracts/rollcall-protocol';

type FinalStatus = RollCallStatus | 'unaccounted';

const statusWords: Record<FinalStatus, string> = { safe: 'Safe', missing: 'Missing', absent: 'Not in today', unaccounted: 'Not accounted for' };
const groupWords = { in: 'In', 'left-recently': 'Signed out in the last 15 minutes', uncertain: 'Did not sign out' } as const;

export interface RollCallReportView {
	title: string;
	kind: 'Drill' | 'Real evacuation';
	day: string;
	started: string;
	startedBy: string;
	ended: string | null;
	/** "3 min 20 s", or null while someone is unaccounted. */
	accountedIn: string | null;
	counts: Array<{ status: FinalStatus; label: string; count: number }>;
	/** "4 of 5 accounted for". */
	progress: string;
	people: Array<{ userId: number; name: string; listed: string; location: string | null; since: string; status: string; markedAt: string | null; markedBy: string | null }>;
	history: Array<{ id: string; at: string; name: string; status: string; by: string; winning: boolean }>;
}

/** "45 s", "3 min 20 s", "1 h 2 min". */
export function durationText(ms: number): string {
	const seconds = Math.round(ms / 1000);
	if (seconds < 60) return `${seconds} s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
	return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function rollCallReportView(report: RollCallReport, timeZone: string): RollCallReportView {
	const { rollCall } = report;
	const day = localDateIn(timeZone, new Date(rollCall.startedAt));
	/** HH:MM:SS: marks seconds apart must read in order. */
	const time = (iso: string) => {
		const at = new Date(iso);
		const seconds = String(Math.floor(at.getTime() / 1000) % 60).padStart(2, '0');
		const hhmm = `${localTimeIn(timeZone, at)}:${seconds}`;
		return localDateIn(timeZone, at) === day ? hhmm : `${hhmm} (${dateInWords(localDateIn(timeZone, at))})`;
	};
	const names = new Map(report.people.map((p) => [p.userId, `${p.firstName} ${p.lastName}`]));
	const winning = new Set(rollCall.marks.map((m) => m.id));
	const counts = (['safe', 'absent', 'missing', 'unaccounted'] as const).map((status) => ({
		status,
		label: statusWords[status],
		count: report.people.filter((p) => p.status === status).length,
	}));
	const accounted = report.people.filter((p) => p.status === 'safe' || p.status === 'absent').length;
	const kind = rollCall.drill ? 'Drill' : 'Real evacuation';
	return {
		title: `Roll call ${dateInWords(day)}`,
		kind,
		day: dateInWords(day),
		started: time(rollCall.startedAt),
		startedBy: rollCall.startedBy,
		ended: rollCall.endedAt ? time(rollCall.endedAt) : null,
		accountedIn: report.accountedForInMs === null ? null : durationText(report.accountedForInMs),
		counts,
		progress: `${accounted} of ${report.people.length} accounted for`,
		people: [...report.people]
			.sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName))
			.map((p) => ({
				userId: p.userId,
				name: `${p.firstName} ${p.lastName}`,
				listed: groupWords[p.group],
				location: p.location,
				since: time(p.since),
				status: statusWords[p.status],
				markedAt: p.markedAt ? time(p.markedAt) : null,
				markedBy: p.markedBy,
			})),
		history: report.history.map((m) => ({
			id: m.id,
			at: time(m.at),
			name: names.get(m.userId) ?? `Person ${m.userId}`,
			status: statusWords[m.status],
			by: m.by,
			winning: winning.has(m.id),
		})),
	};
}
