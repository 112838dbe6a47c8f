/**
 * A TCP proxy on 127.0.0.1 in front of a real server (MariaDB in the outage
 * tests) that a test can pause (connections stay open but nothing is
 * forwarded: a silent database) or cut (every connection is closed and new
 * ones are refused), then resume.
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export interface TcpProxy {
	port: number;
	/** Stop forwarding in both directions; new connections are accepted and left hanging. */
	pause(): void;
	/** Close every connection and stop listening, so connecting is refused. */
	cut(): Promise<void>;
	/** Forward again (on the same port); connections that lived through a pause are closed. */
	resume(): Promise<void>;
	close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
	let mode: 'forward' | 'pause' | 'cut' = 'forward';
	const pairs = new Set<[Socket, Socket]>();
	const stale = new Set<[Socket, Socket]>();

	const onConnection = (client: Socket) => {
		const upstream = connect(target.port, target.host);
		const pair: [Socket, Socket] = [client, upstream];
		pairs.add(pair);
		if (mode === 'pause') stale.add(pair);
		const forward = (from: Socket, to: Socket) =>
			from.on('data', (chunk) => {
				if (mode === 'forward' && !stale.has(pair)) to.write(chunk);
				else stale.add(pair); // bytes dropped here leave the protocol broken: closed on resume
			});
		forward(client, upstream);
		forward(upstream, client);
		const end = () => {
			client.destroy();
			upstream.destroy();
			pairs.delete(pair);
			stale.delete(pair);
		};
		client.on('close', end).on('error', end);
		upstream.on('close', end).on('error', end);
	};

	let server: Server = createServer(onConnection);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));
	const destroyAll = (which: Iterable<[Socket, Socket]>) => {
		for (const [a, b] of [...which]) {
			a.destroy();
			b.destroy();
		}
	};

	return {
		port,
		pause() {
			mode = 'pause';
			for (const pair of pairs) stale.add(pair);
		},
		async cut() {
			mode = 'cut';
			destroyAll(pairs);
			await closeServer();
		},
		async resume() {
			destroyAll(stale);
			if (mode === 'cut') {
				server = createServer(onConnection);
				await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
			}
			mode = 'forward';
		},
		async close() {
			destroyAll(pairs);
			if (mode !== 'cut') await closeServer();
		},
	};
}
