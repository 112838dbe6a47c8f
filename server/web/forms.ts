/** Form actions: read fields as strings and turn domain refusals into `fail()` answers. */
import { error, fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { DomainError } from '../domain/shared/errors';
import { httpStatusFor } from '../api/errors';

const formTypes = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * The posted form, or a clear 4xx: SvelteKit lets `text/plain` through to the
 * action, and `request.formData()` throws on it (and on broken multipart),
 * which would otherwise be a 500. Every form action reads its form here.
 */
export async function readForm(event: Pick<RequestEvent, 'request'>): Promise<FormData> {
	if (!formTypes.test(event.request.headers.get('content-type') ?? '')) error(415, 'Send this form as form data.');
	try {
		return await event.request.formData();
	} catch {
		error(400, 'The form data could not be read.');
	}
}

export function field(form: FormData, name: string): string | undefined {
	const value = form.get(name);
	return typeof value === 'string' ? value : undefined;
}

export interface FormFailure {
	error: string;
	field?: string;
	[key: string]: unknown;
}

/** Runs a form action; a DomainError becomes a 4xx with its message, anything else propagates. */
export async function formAction<T>(
	work: () => Promise<T>,
	echo: Record<string, unknown> = {},
): Promise<T | ActionFailure<FormFailure>> {
	try {
		return await work();
	} catch (error) {
		if (error instanceof DomainError) {
			return fail(httpStatusFor[error.code], { ...echo, error: error.message, field: error.field });
		}
		throw error;
	}
}

/** Parses a form's string fields with a zod schema; the first problem becomes a 400 with its message. */
export function parseForm<S extends z.ZodType>(schema: S, form: FormData, names: readonly string[]): z.infer<S> {
	const raw = Object.fromEntries(names.map((name) => [name, field(form, name)]));
	const parsed = schema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw new DomainError('invalid-input', issue.message, issue.path[0]?.toString());
	}
	return parsed.data;
}
