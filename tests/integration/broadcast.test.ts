/**
 * Emergency broadcasts through the real SMS and email clients, pointed at
 * the local Twilio and SMTP stand-ins: everyone in the building is reached
 * through each of their channels, one refused text does not stop the rest,
 * and each person's "I'm safe" link records their reply (a forged one does not).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { config, resetConfig } from '../../server/config';
import { AuditRecord } from '../../server/db/models/attendance.model';
import { BroadcastRecipient } from '../../server/db/models/notifications.model';
import { ContactDetail } from '../../server/db/models/people.model';
import { recordAttendance } from '../../server/domain/attendance/attendance';
import { broadcastDetail } from '../../server/domain/notifications/broadcast-view';
import { createBroadcast, markSafe, safeLinkTarget, sendBroadcast } from '../../server/domain/notifications/broadcast';
import { startSmtpFake, type RunningSmtpFake } from '../fakes/smtp.fake';
import { startTwilioFake, TWILIO_REFUSED_NUMBER, type RunningTwilioFake } from '../fakes/twilio.fake';
import { useTestDatabase } from './support/database';
import { newUser, webAudit } from './support/factories';
import { actorFrom } from './support/people';

const db = await useTestDatabase();
let smtp: RunningSmtpFake;
let twilio: RunningTwilioFake;
const ORIGIN = 'https://register.example.org';

beforeAll(async () => {
	smtp = await startSmtpFake(0);
	twilio = await startTwilioFake(0);
	resetConfig({
		...config(),
		smtp: { url: smtp.url, from: 'Building Register <register@example.org>' },
		twilio: { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'twilio-secret', sender: 'SF-REG', apiUrl: twilio.url },
	});
});
afterAll(async () => {
	await smtp?.close();
	await twilio?.close();
});

async function personIn(firstName: string, phone: string, email?: string) {
	const user = await newUser({ firstName, lastName: 'Safe', email });
	await ContactDetail.create({ method: 'sms', value: phone, userId: user.id });
	await recordAttendance({ userId: user.id, kind: 'sign-in', audit: webAudit });
	return user;
}

const linkIn = (text: string) => /https:\/\/register\.example\.org\/safe\/(\S+)/.exec(text)?.[1] ?? '';

db.describe(`emergency broadcast (${db.dialect})`, () => {
	it('refuses a broadcast to the building when nobody is in, storing nothing', async () => {
		const admin = await newUser({ role: 'admin' });
		await expect(createBroadcast(actorFrom(admin), { message: 'Fire drill', audience: 'in-building' })).rejects.toMatchObject({ code: 'invalid-input', field: 'audience' });
		await expect(createBroadcast(actorFrom(admin), { message: '   ', audience: 'everyone' })).rejects.toMatchObject({ code: 'invalid-input', field: 'message' });
		expect(await AuditRecord.count({ where: { actorId: admin.id } })).toBe(0);
	});

	it('reaches everyone in the building through every channel; one refused text stops nobody else', async () => {
		const admin = await newUser({ role: 'admin' });
		const ada = await personIn('Ada', '+447911000101', 'ada@example.org');
		const bob = await personIn('Bob', TWILIO_REFUSED_NUMBER);
		const cat = await personIn('Cat', '+447911000103');
		const away = await newUser({ firstName: 'Dan', lastName: 'Away' });
		await ContactDetail.create({ method: 'sms', value: '+447911000104', userId: away.id });

		const { id, recipients, sending } = await sendBroadcast(actorFrom(admin), { message: 'Leave by the north stairs now.', audience: 'in-building' }, ORIGIN);
		expect(recipients).toBe(3);
		await sending;

		const detail = await broadcastDetail(id);
		expect(detail.recipients.map((r) => [r.name, r.status])).toEqual([
			['Ada Safe', 'delivered'],
			['Bob Safe', 'failed'],
			['Cat Safe', 'delivered'],
		]);
		expect(detail.counts).toEqual({ total: 3, pending: 0, reached: 2, safe: 0 });
		expect(detail.recipients[0]!.deliveries.map((d) => [d.channel, d.ok]).sort()).toEqual([['email', true], ['sms', true]]);
		expect(detail.recipients[1]!.deliveries).toEqual([{ channel: 'sms', address: TWILIO_REFUSED_NUMBER, ok: false, error: expect.stringContaining('could not send the text message') }]);

		const texts = twilio.captured();
		expect(texts.map((t) => t.to).sort()).toEqual(['+447911000101', '+447911000103', TWILIO_REFUSED_NUMBER]);
		expect(texts.find((t) => t.to === '+447911000104')).toBeUndefined();
		expect(texts[0]!.body).toContain('Leave by the north stairs now.');
		const mail = smtp.captured().find((m) => m.to.includes('ada@example.org'));
		expect(mail?.subject).toBe('Building Register: emergency message');
		expect(await AuditRecord.findOne({ where: { actorId: admin.id, action: 'broadcast-sent' } })).not.toBeNull();

		// Cat answers through the link in her text.
		const catLink = linkIn(texts.find((t) => t.to === '+447911000103')!.body);
		expect(await safeLinkTarget(catLink)).toMatchObject({ firstName: 'Cat', message: 'Leave by the north stairs now.', safeAt: null });
		const at = new Date('2026-11-24T12:00:00Z');
		expect(await markSafe(catLink, at)).toEqual({ firstName: 'Cat', safeAt: at });
		// A second tap keeps the first reply's time.
		expect((await markSafe(catLink, new Date('2026-11-24T12:05:00Z'))).safeAt).toEqual(at);
		const after = await broadcastDetail(id);
		expect(after.recipients.find((r) => r.userId === cat.id)!.safeAt).toEqual(at);
		expect(after.counts.safe).toBe(1);

		// Forged links: another person's id with Cat's mac, a changed mac, another broadcast.
		const [b, u, mac] = catLink.split('.');
		const forged = [`${b}.${ada.id}.${mac}`, `${b}.${u}.${mac!.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}`, `${Number(b) + 1}.${u}.${mac}`, 'nonsense'];
		for (const token of forged) {
			await expect(markSafe(token)).rejects.toMatchObject({ code: 'not-found' });
			expect(await safeLinkTarget(token)).toBeNull();
		}
		expect((await BroadcastRecipient.findOne({ where: { broadcastId: id, userId: ada.id } }))!.safeAt).toBeNull();
		expect((await BroadcastRecipient.findOne({ where: { broadcastId: id, userId: bob.id } }))!.safeAt).toBeNull();
	});

	it('reaches everyone, signed in or not, when the admin chooses everyone; a person without a channel shows as unreachable', async () => {
		const admin = await newUser({ role: 'admin' });
		const quiet = await newUser({ firstName: 'Quiet', lastName: 'Person' });
		const { id, recipients, sending } = await sendBroadcast(actorFrom(admin), { message: 'Office closed tomorrow.', audience: 'everyone' }, ORIGIN);
		await sending;
		const detail = await broadcastDetail(id);
		expect(recipients).toBe(detail.recipients.length);
		expect(detail.recipients.find((r) => r.userId === quiet.id)).toMatchObject({ status: 'unreachable', deliveries: [] });
		expect(detail.recipients.find((r) => r.name === 'Dan Away')).toMatchObject({ status: 'delivered' });
	});
});
