/** Reads a QR code from a PNG in Node, with the same ZXing wasm the kiosk uses (loaded from node_modules). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

const require = createRequire(import.meta.url);
let prepared = false;

export async function readQr(png: Buffer): Promise<string | null> {
	if (!prepared) {
		const wasm = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
		prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer } });
		prepared = true;
	}
	const found = await readBarcodes(new Uint8Array(png), { formats: ['QRCode'] });
	return found[0]?.text ?? null;
}
