/** Helpers for the jobs tests: people reachable by text message (a contact used to log in), and the Twilio stand-in wired in. */
import { ContactDetail } from '../../../server/db/models/people.model';
import { transaction } from '../../../server/db/database';
import { config, resetConfig } from '../../../server/config';
import { writeAudit } from '../../../server/domain/shared/audit';
import { startTwilioFake, type RunningTwilioFake } from '../../fakes/twilio.fake';
import { newUser, webAudit } from './factories';

export const SITE = 'https://register.example.org';

/** Starts the Twilio stand-in and points the config at it, with the public ORIGIN the messages link to. */
export async function useTwilio(): Promise<RunningTwilioFake> {
	const twilio = await startTwilioFake(0);
	resetConfig({ ...config(), origin: SITE, twilio: { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'twilio-secret', sender: 'SF-REG', apiUrl: twilio.url } });
	return twilio;
}

let numbers = 0;

/** A fresh UK mobile number the stand-in accepts. */
export const freshMobile = () => `+4479111${String(10_000 + ++numbers).padStart(5, '0')}`;

/** A person with a mobile number they have logged in with (so reminders reach it), or one they never used when `loggedIn` is false. */
export async function reachablePerson(options: { firstName?: string; lastName?: string; mobile?: string; loggedIn?: boolean } = {}) {
	const user = await newUser({ firstName: options.firstName, lastName: options.lastName });
	const mobile = options.mobile ?? freshMobile();
	await transaction(async (t) => {
		const audit = options.loggedIn === false ? null : await writeAudit(webAudit, new Date(), t);
		await ContactDetail.create({ method: 'sms', value: mobile, userId: user.id, auditId: audit?.id ?? null }, { transaction: t });
	});
	return { user, mobile };
}
