/**
 * Loopback ports of the local stand-ins the e2e server is pointed at.
 * FAKES_PORT_BASE moves them all, so two e2e runs can share a machine.
 */
const base = Number(process.env.FAKES_PORT_BASE ?? 4125);

export const fakePorts = {
	inspector: base + 54,
	smtp: base,
	twilio: base + 1,
	oidc: base + 2,
	graph: base + 3,
	slack: base + 4,
} as const;

export const loopback = (port: number) => `http://127.0.0.1:${port}`;
