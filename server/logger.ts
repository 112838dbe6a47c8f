import pino from 'pino';
import { config } from './config';

let instance: pino.Logger | undefined;

// Personal login links, and the "I left at…" links sent the morning after a missed sign-out.
const TOKEN_IN_PATH = /(\/accounts\/token\/|\/left\/)[^/?#\s"]+/g;

/** A path or URL with any personal login token cut out, fit for a log line. */
export const scrubPath = (path: string): string => path.replace(TOKEN_IN_PATH, '$1[redacted]');

/** Credentials never reach the log, wherever a caller puts the headers. */
const redactedPaths = ['authorization', 'cookie', '*.authorization', '*.cookie', '*.headers.authorization', '*.headers.cookie', '*.headers["set-cookie"]'];

/** Logger options shared by the app and its tests: redaction of credentials and of tokens in paths. */
export function loggerOptions(level: pino.LevelWithSilent): pino.LoggerOptions {
	return {
		name: 'register',
		level,
		redact: { paths: redactedPaths, censor: '[redacted]' },
		formatters: {
			log(fields) {
				for (const key of ['path', 'url', 'location'] as const) {
					const value = fields[key];
					if (typeof value === 'string') fields[key] = scrubPath(value);
				}
				return fields;
			},
		},
	};
}

/** The app's one logger: JSON lines on stdout, level from LOG_LEVEL. */
export function logger(): pino.Logger {
	instance ??= pino(loggerOptions(config().logLevel));
	return instance;
}
