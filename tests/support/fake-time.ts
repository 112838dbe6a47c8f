/**
 * The environment that runs a child process at another time: libfaketime
 * (Debian's faketime package) shifts the clock of the whole process tree, so
 * the app needs no test hook for time. `at` is "@2026-11-23 22:00:00" (a
 * start time, then running) or an offset such as "-1d".
 */
export function fakeTime(at: string): Record<string, string> {
	return { LD_PRELOAD: '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', FAKETIME: at, FAKETIME_DONT_FAKE_MONOTONIC: '1', TZ: 'UTC' };
}
