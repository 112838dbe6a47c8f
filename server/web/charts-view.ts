/** The charts page's words: captions that say what each chart shows, for everyone and for screen readers. */
import type { Charts } from '../domain/reports/charts';
import { countOf, dateInWords } from '../../src/lib/contracts/building-time';

const average = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export function chartsView(charts: Charts, thisYear: string) {
	const known = charts.occupancy.filter((s) => s.people !== null);
	const peak = known.reduce((best, s) => ((s.people ?? 0) > (best?.people ?? 0) ? s : best), known[0]);
	const busiest = [...charts.weekdays].sort((a, b) => b.average - a.average)[0];
	const total = charts.daily.reduce((sum, d) => sum + d.people, 0);
	const busiestDay = charts.daily.reduce((best, d) => (d.people > best.people ? d : best), charts.daily[0]!);
	const day = dateInWords(charts.date, thisYear);
	return {
		occupancy: {
			title: `Occupancy on ${day}`,
			caption: !known.length
				? `${day} has not begun yet.`
				: peak && peak.people
					? `People in the building in each quarter hour. At most ${countOf(peak.people, 'person', 'people')} at once, from ${peak.time}.`
					: 'Nobody was in the building that day.',
			slots: charts.occupancy.map((s) => ({ time: s.time, people: s.people })),
		},
		daily: {
			title: `People per day, last ${countOf(charts.weeks, 'week')}`,
			caption: total
				? `How many different people came in each day. The busiest day was ${dateInWords(busiestDay.date, thisYear)} with ${countOf(busiestDay.people, 'person', 'people')}.`
				: 'Nobody came in during these weeks.',
			days: charts.daily.map((d) => ({ date: d.date, label: d.date.slice(5).replace('-', '/'), words: dateInWords(d.date, thisYear), people: d.people })),
		},
		weekdays: {
			title: `Busiest weekdays, last ${countOf(charts.weeks, 'week')}`,
			caption: busiest && busiest.average
				? `Average number of people per day for each weekday. The busiest is ${busiest.weekday}, with ${average(busiest.average)} on average.`
				: 'Nobody came in during these weeks.',
			days: charts.weekdays.map((w) => ({ weekday: w.weekday, short: w.weekday.slice(0, 3), average: w.average, shown: average(w.average), over: w.days })),
		},
	};
}
