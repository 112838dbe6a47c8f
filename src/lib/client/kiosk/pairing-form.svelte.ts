/**
 * Pairing a tablet as a kiosk (issue 9 item 2): the one-time code an admin
 * gave (typed, or from `?code=` when the tablet scanned the pairing QR) is
 * traded for the kiosk's credential and presence secret, which are kept in
 * IndexedDB so the kiosk works offline from then on.
 */
import { PAIRING_CODE_ALPHABET, PAIRING_CODE_LENGTH } from '$lib/contracts/kiosk-protocol';
import { normalisePairingCode, pairKiosk } from './kiosk-api';
import { pairingProblem } from './kiosk-messages';
import { savePairing } from './kiosk-store';

const codePattern = new RegExp(`^[${PAIRING_CODE_ALPHABET}]{${PAIRING_CODE_LENGTH}}$`);

export const isPairingCode = (code: string): boolean => codePattern.test(normalisePairingCode(code));

export class PairingForm {
	busy = $state(false);
	problem = $state<string | null>(null);

	/** True when the tablet is now paired. */
	async submit(typed: string): Promise<boolean> {
		const code = normalisePairingCode(typed);
		if (!isPairingCode(code)) {
			this.problem = pairingProblem('invalid');
			return false;
		}
		this.busy = true;
		this.problem = null;
		try {
			const reply = await pairKiosk(code);
			if (reply.kind === 'ok') {
				await savePairing(reply.data);
				return true;
			}
			if (reply.kind === 'retry') this.problem = pairingProblem('offline');
			else if (reply.kind === 'refused') this.problem = pairingProblem(reply.domainCode === 'code-expired' || /expired/i.test(reply.message) ? 'expired' : 'unknown', reply.message);
			else this.problem = pairingProblem('server');
			return false;
		} finally {
			this.busy = false;
		}
	}
}
