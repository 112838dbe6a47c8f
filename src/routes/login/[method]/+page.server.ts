import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { logInWithCode, needsName, requestCode } from '$server/domain/identity/login';
import { codeLoginMethod, type CodeLoginMethod } from '$server/domain/identity/login-methods';
import { field, formAction, parseForm, readForm } from '$server/web/forms';
import { safeNext } from '$server/web/guards';
import { auditFrom, setSessionCookie } from '$server/web/request';
import { SESSION_TTL_MS } from '$server/domain/identity/sessions';
import { requestCodeForm, verifyCodeForm } from '$lib/contracts/login';

function methodOr404(id: string): CodeLoginMethod {
	const method = codeLoginMethod(id);
	if (!method) error(404, 'That login method is not available.');
	return method;
}

export const load: PageServerLoad = ({ params }) => {
	const method = methodOr404(params.method);
	return {
		method: { id: method.id, label: method.label, contactLabel: method.contactLabel, hint: method.hint, inputMode: method.inputMode },
	};
};

export const actions: Actions = {
	request: async (event) => {
		const method = methodOr404(event.params.method);
		const form = await readForm(event);
		const contact = field(form, 'contact') ?? '';
		return formAction(
			async () => {
				const input = parseForm(requestCodeForm, form, ['contact']);
				const sent = await requestCode(method, input.contact, auditFrom(event));
				return { step: 'code' as const, contact: input.contact, needsName: sent.needsName };
			},
			{ step: 'contact', contact },
		);
	},

	verify: async (event) => {
		const method = methodOr404(event.params.method);
		const form = await readForm(event);
		const contact = field(form, 'contact') ?? '';
		const echo = { step: 'code', contact, firstName: field(form, 'firstName'), lastName: field(form, 'lastName') };
		const result = await formAction(async () => {
			const input = parseForm(verifyCodeForm, form, ['contact', 'code', 'firstName', 'lastName']);
			return logInWithCode(method, { rawContact: input.contact, ...input, audit: auditFrom(event) });
		}, { ...echo, needsName: await needsName(method, contact).catch(() => false) });
		if ('sessionToken' in result) {
			setSessionCookie(event.cookies, event.url, result.sessionToken, new Date(Date.now() + SESSION_TTL_MS));
			redirect(303, safeNext(event.url.searchParams.get('next'), event.url.origin));
		}
		return result;
	},
};
