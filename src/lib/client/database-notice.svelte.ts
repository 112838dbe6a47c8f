/** Whether this tab's outbox database is usable, for the notice in the layout (see db.ts). */
import { watchDatabase, type DatabaseState } from './offline/db';

export class DatabaseNotice {
	state = $state<DatabaseState>('open');
	private unwatch: (() => void) | null = null;

	/** Starts following the database; call before anything opens it (the layout does, as it loads). */
	watch(): void {
		this.unwatch ??= watchDatabase((state) => {
			this.state = state;
		});
	}

	reset(): void {
		this.unwatch?.();
		this.unwatch = null;
		this.state = 'open';
	}
}

export const databaseNotice = new DatabaseNotice();
