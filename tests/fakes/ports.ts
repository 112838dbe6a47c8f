/** Loopback ports of the local stand-ins the e2e server is pointed at. */
export const fakePorts = {
	inspector: 4179,
	smtp: 4125,
	twilio: 4126,
	oidc: 4127,
	graph: 4128,
	slack: 4129,
} as const;

export const loopback = (port: number) => `http://127.0.0.1:${port}`;
