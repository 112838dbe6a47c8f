/** Form actions: read fields as strings and turn domain refusals into `fail()` answers. */
import { fail, type ActionFailure } from '@sveltejs/kit';
import type { z } from 'zod';
import { DomainError } from '../domain/shared/errors';
import { httpStatusFor } from '../api/errors';

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
