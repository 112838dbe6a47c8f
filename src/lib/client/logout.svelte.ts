/**
 * Logging out from any page: asks first when the person still has actions
 * waiting in the outbox (they are kept, never deleted), ends the server
 * session, forgets the session on this device, then opens /login with a
 * full page load so no state of the previous person stays in memory.
 */
import { endServerSession, forgetSession, logoutQuestion, waitingActionsOf } from './offline/session-end';

export class LogoutFlow {
	/** The question to ask before logging out; null when nothing is being asked. */
	question = $state<string | null>(null);
	busy = $state(false);
	error = $state<string | null>(null);

	/** The Log out button: asks when actions are waiting, else logs out at once. */
	async start(userId: number): Promise<void> {
		this.error = null;
		const waiting = await waitingActionsOf(userId).catch(() => 0); // no outbox to read: nothing to lose
		if (waiting > 0) this.question = logoutQuestion(waiting);
		else await this.confirm();
	}

	cancel(): void {
		this.question = null;
	}

	async confirm(): Promise<void> {
		this.question = null;
		this.busy = true;
		if (!(await endServerSession())) {
			this.busy = false;
			this.error = 'Logging out needs a connection to the server. Try again when you are online.';
			return;
		}
		await forgetSession();
		window.location.assign('/login');
	}

	reset(): void {
		this.question = null;
		this.busy = false;
		this.error = null;
	}
}

export const logoutFlow = new LogoutFlow();
