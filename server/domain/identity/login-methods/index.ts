/**
 * Login methods behind one interface. A method is offered only when it is
 * configured; the development console method is on while no real method is
 * (so a fresh install is usable) unless DEV_LOGIN says otherwise.
 */
import { config } from '../../../config';
import { developmentMethod } from './dev';
import { emailMethod } from './email';
import { microsoftMethod } from './microsoft';
import { smsMethod } from './sms';
import type { CodeLoginMethod, LoginMethod } from './types';

export type { CodeLoginMethod, LoginMethod, RedirectLoginMethod } from './types';

/** Each factory returns its method when configured, in the order /login shows them. */
const factories = [microsoftMethod, emailMethod, smsMethod, developmentMethod];

export function loginMethods(): LoginMethod[] {
	const settings = config();
	return factories.map((factory) => factory(settings)).filter((method) => method !== undefined);
}

export function loginMethod(id: string): LoginMethod | undefined {
	return loginMethods().find((m) => m.id === id);
}

export function codeLoginMethod(id: string): CodeLoginMethod | undefined {
	const method = loginMethod(id);
	return method?.kind === 'code' ? method : undefined;
}
