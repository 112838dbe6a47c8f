/// <reference lib="webworker" />
/**
 * Decodes camera frames off the main thread, so the clock, the result card
 * and the sound never wait for a frame being read. barcode-detector's
 * ponyfill runs ZXing-C++ compiled to WebAssembly; its reader wasm comes
 * from our own origin (the page sends its URL first: a hashed client asset
 * the service worker precaches) instead of the jsDelivr URL the library
 * defaults to, so the kiosk starts with no network.
 */
import { BarcodeDetector, prepareZXingModule } from 'barcode-detector/ponyfill';
import type { DecodeReply, DecodeRequest, DecoderSetup } from './decoder-messages';

const worker = self as unknown as DedicatedWorkerGlobalScope;
let detector: BarcodeDetector | null = null;

function setUp({ wasmUrl }: DecoderSetup): BarcodeDetector {
	const wasm = new URL(wasmUrl, worker.location.origin).href;
	prepareZXingModule({ overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasm : prefix + path) } });
	return new BarcodeDetector({ formats: ['qr_code'] });
}

async function decode({ id, frame }: DecodeRequest, reader: BarcodeDetector): Promise<DecodeReply> {
	const started = performance.now();
	try {
		const found = await reader.detect(frame);
		return { id, texts: found.map((code) => code.rawValue), decodeMs: performance.now() - started };
	} catch (error) {
		return { id, texts: [], decodeMs: performance.now() - started, error: error instanceof Error ? error.message : String(error) };
	} finally {
		frame.close();
	}
}

worker.addEventListener('message', async (event: MessageEvent<DecoderSetup | DecodeRequest>) => {
	const message = event.data;
	if ('wasmUrl' in message) {
		detector = setUp(message);
		return;
	}
	if (!detector) return void worker.postMessage({ id: message.id, texts: [], decodeMs: 0, error: 'decoder not set up' } satisfies DecodeReply);
	worker.postMessage(await decode(message, detector));
});
