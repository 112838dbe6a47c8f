import type { Config } from '../../../config';
import type { RedirectLoginMethod } from './types';

/** The organisation's Microsoft account (Entra ID): the browser goes to Microsoft and back. */
export function microsoftMethod(config: Config): RedirectLoginMethod | undefined {
	if (!config.microsoft || !config.microsoftLogin) return undefined;
	return { kind: 'redirect', id: 'microsoft', label: 'Microsoft account' };
}
