/**
 * What an admin does for the kiosk e2e tests and the kiosk bench, run as a
 * separate process against the test server's database (like the real CLI):
 * make a kiosk with a pairing code, people with badges, revoke things, and
 * read back the records the server stored. Prints JSON.
 *
 *   tsx kiosk-admin.cli.ts kiosk <name> [locationName]   → { kioskId, code, location }
 *   tsx kiosk-admin.cli.ts people <count> [prefix]       → [{ userId, firstName, secret }]
 *   tsx kiosk-admin.cli.ts revoke-kiosk <kioskId>
 *   tsx kiosk-admin.cli.ts revoke-badge <userId>
 *   tsx kiosk-admin.cli.ts records <userId>              → [{ signInAt, signOutAt, location }]
 *   tsx kiosk-admin.cli.ts end-rollcalls                 ends every open roll call
 *   tsx kiosk-admin.cli.ts rollcall-report <uuid>        → the roll call's report
 *   tsx kiosk-admin.cli.ts open-rollcall                 → the open roll call's UUID, or null
 *   tsx kiosk-admin.cli.ts serve                         → the same commands, one JSON array of
 *                                                          arguments a line on stdin, one JSON answer a line
 *                                                          (`{ ok }` or `{ error }`), so a test run pays for one start
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { closeDatabase, prepareDatabase, transaction } from '../../../server/db/database';
import { SignInRecord } from '../../../server/db/models/attendance.model';
import { Location } from '../../../server/db/models/attendance.model';
import { issueBadges, revokeBadges } from '../../../server/domain/kiosk/badges';
import { createKiosk, revokeKiosk } from '../../../server/domain/kiosk/kiosks';
import { createLocation } from '../../../server/domain/kiosk/locations';
import { createUser } from '../../../server/domain/people/users';
import { RollCall } from '../../../server/db/models/operations.model';
import { rollCallReport } from '../../../server/domain/rollcall/rollcall-views';

async function run(command: string | undefined, args: string[]): Promise<unknown> {
	switch (command) {
		case 'kiosk': {
			const [name = 'Front desk', locationName = 'Reception'] = args;
			const location = await createLocation({ name: locationName, slug: `reception-${randomUUID().slice(0, 8)}`, requiresPresence: false });
			const { kiosk, pairing } = await createKiosk({ name, locationId: location.id });
			return { kioskId: kiosk.id, code: pairing.code, location: { slug: location.slug, name: location.name } };
		}
		case 'people': {
			const count = Number(args[0] ?? 1);
			const prefix = args[1] ?? 'Person';
			const users = [];
			for (let i = 0; i < count; i++) {
				const firstName = count === 1 ? prefix : `${prefix}${i}`;
				users.push(await transaction((t) => createUser({ firstName, lastName: 'Kiosk' }, t)));
			}
			const badges = await issueBadges(users.map((u) => u.id));
			return users.map((user, i) => ({ userId: user.id, firstName: user.firstName, secret: badges[i]!.secret }));
		}
		case 'revoke-kiosk':
			return revokeKiosk(Number(args[0]));
		case 'revoke-badge':
			return revokeBadges([Number(args[0])]);
		case 'records': {
			const records = await SignInRecord.findAll({ where: { userId: Number(args[0]) }, include: [{ model: Location, as: 'location' }], order: [['signInAt', 'ASC']] });
			return records.map((r) => ({ signInAt: r.signInAt.toISOString(), signOutAt: r.signOutAt?.toISOString() ?? null, location: r.location?.slug ?? null }));
		}
		case 'end-rollcalls':
			return RollCall.update({ endedAt: new Date() }, { where: { endedAt: null } });
		case 'open-rollcall':
			return (await RollCall.findOne({ where: { endedAt: null } }))?.uuid ?? null;
		case 'rollcall-report':
			return rollCallReport(args[0]!);
		default:
			throw new Error(`unknown command ${command}`);
	}
}

async function serve(): Promise<void> {
	const lines = createInterface({ input: process.stdin });
	for await (const line of lines) {
		try {
			const [command, ...args] = JSON.parse(line) as string[];
			process.stdout.write(`${JSON.stringify({ ok: (await run(command, args)) ?? null })}\n`);
		} catch (error) {
			process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`);
		}
	}
}

const [command, ...args] = process.argv.slice(2);
await prepareDatabase();
try {
	if (command === 'serve') await serve();
	else console.log(JSON.stringify((await run(command, args)) ?? null));
} finally {
	await closeDatabase();
}
