import pino from 'pino';
import { config } from './config';

let instance: pino.Logger | undefined;

/** The app's one logger: JSON lines on stdout, level from LOG_LEVEL. */
export function logger(): pino.Logger {
	instance ??= pino({ name: 'register', level: config().logLevel });
	return instance;
}
