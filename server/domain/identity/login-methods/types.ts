import type { ContactInput } from '../contacts';

/** A method that sends a one-time code to a contact detail the person types. */
export interface CodeLoginMethod {
	kind: 'code';
	id: string;
	/** The link text on /login. */
	label: string;
	/** The label of the contact field. */
	contactLabel: string;
	/** The contact field's input mode and autocomplete, for phone keyboards. */
	inputMode: 'email' | 'tel' | 'text';
	hint: string;
	parseContact(raw: string): ContactInput;
	deliver(contact: ContactInput, code: string): Promise<void>;
}

/** A method that sends the browser to an identity provider (Microsoft) and back. */
export interface RedirectLoginMethod {
	kind: 'redirect';
	id: string;
	label: string;
}

export type LoginMethod = CodeLoginMethod | RedirectLoginMethod;
