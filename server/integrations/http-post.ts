/** One JSON POST to another system, with a time limit: a hung receiver must not hold a listener forever. */
export class PostFailed extends Error {
	constructor(
		message: string,
		readonly status: number | null,
	) {
		super(message);
		this.name = 'PostFailed';
	}
}

const TIMEOUT_MS = 10_000;

/** Resolves with the response status when it is 2xx; throws PostFailed with the reason otherwise. */
export async function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<number> {
	let response: Response;
	try {
		response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body,
			redirect: 'error',
			signal: AbortSignal.timeout(TIMEOUT_MS),
		});
	} catch (error) {
		const cause = (error as { cause?: { code?: string } }).cause?.code;
		const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : (cause ?? (error instanceof Error ? error.message : String(error)));
		throw new PostFailed(`could not reach ${new URL(url).host}: ${reason}`, null);
	}
	// Drained so the connection is released; only the first characters matter for the log.
	const text = (await response.text().catch(() => '')).slice(0, 200);
	if (!response.ok) throw new PostFailed(`${new URL(url).host} answered ${response.status}${text ? `: ${text}` : ''}`, response.status);
	return response.status;
}
