/** The morning after: each person whose record was flagged "did not sign out" is sent their "I left at…" link, once. */
import { Op } from 'sequelize';
import { SignInRecord } from '../../db/models/attendance.model';
import { logger } from '../../logger';
import { deliverToPerson, type Delivery } from '../../notify/person-delivery';
import { leftAtPath, LEFT_LINK_DAYS } from '../attendance/did-not-sign-out';
import { dateInWordsFrom, now as clockNow } from '../shared/clock';
import { siteUrl, storeDeliveries } from './deliveries';

export async function sendLeftNotices(jobRunId: number | null, now = clockNow()): Promise<Delivery[]> {
	const records = await SignInRecord.findAll({
		where: {
			signOutAt: { [Op.is]: null },
			didNotSignOutAt: { [Op.ne]: null },
			leftNoticeAt: { [Op.is]: null },
			// A link could not be used after its week anyway.
			signInAt: { [Op.gt]: new Date(now.getTime() - LEFT_LINK_DAYS * 86_400_000) },
		},
		order: [['signInAt', 'ASC']],
	});
	const all: Delivery[] = [];
	for (const record of records) {
		const url = new URL((await leftAtPath(record, now)).slice(1), siteUrl()).toString();
		const deliveries = await deliverToPerson(record.userId, {
			subject: 'You did not sign out',
			text: `You did not sign out on ${dateInWordsFrom(record.date, now)}. Tap the link to say when you left.`,
			url,
		}, { loggedInOnly: true });
		for (const failed of deliveries.filter((d) => !d.ok)) logger().warn({ userId: record.userId, channel: failed.channel, error: failed.error }, '"did not sign out" notice not delivered');
		await storeDeliveries('did-not-sign-out', jobRunId, deliveries, clockNow());
		// Marked whatever the outcome: one notice per record, never a daily nag.
		await record.update({ leftNoticeAt: now });
		all.push(...deliveries);
	}
	return all;
}
