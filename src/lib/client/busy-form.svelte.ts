import type { SubmitFunction } from '@sveltejs/kit';

/**
 * A progressively enhanced form that keeps what was typed and disables its
 * buttons while the server answers: `use:enhance={form.keep}` and
 * `disabled={form.busy}`.
 */
export class BusyForm {
	busy = $state(false);

	keep: SubmitFunction = () => {
		this.busy = true;
		return async ({ update }) => {
			await update({ reset: false });
			this.busy = false;
		};
	};
}
