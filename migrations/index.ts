/**
 * Every migration, in order, under a stable name without a file extension:
 * umzug records the name, so development (.ts) and a bundled build agree on
 * what has run. A test checks that each file in this folder is listed here.
 */
import type { Migration } from './types';
import * as initialSchema from './2026.11.24T00.00.00.initial-schema';
import * as identity from './2026.11.24T01.00.00.identity';
import * as attendanceFacts from './2026.11.24T03.00.00.attendance-facts';
import * as externalIdentities from './2026.11.25T00.00.00.external-identities';
import * as kiosksLocations from './2026.11.26T00.00.00.kiosks-locations';
import * as corrections from './2026.11.27T01.00.00.corrections';
import * as auditLogIndexes from './2026.11.27T12.00.00.audit-log-indexes';
import * as jobs from './2026.11.28T00.00.00.jobs';
import * as outboundNotifications from './2026.11.28T03.00.00.outbound-notifications';
import * as rollcall from './2026.11.29T00.00.00.rollcall';

export const migrations: ReadonlyArray<{ name: string; migration: Migration }> = [
	{ name: '2026.11.24T00.00.00.initial-schema', migration: initialSchema },
	{ name: '2026.11.24T01.00.00.identity', migration: identity },
	{ name: '2026.11.24T03.00.00.attendance-facts', migration: attendanceFacts },
	{ name: '2026.11.25T00.00.00.external-identities', migration: externalIdentities },
	{ name: '2026.11.26T00.00.00.kiosks-locations', migration: kiosksLocations },
	{ name: '2026.11.27T01.00.00.corrections', migration: corrections },
	{ name: '2026.11.27T12.00.00.audit-log-indexes', migration: auditLogIndexes },
	{ name: '2026.11.28T00.00.00.jobs', migration: jobs },
	{ name: '2026.11.28T03.00.00.outbound-notifications', migration: outboundNotifications },
	{ name: '2026.11.29T00.00.00.rollcall', migration: rollcall },
];
