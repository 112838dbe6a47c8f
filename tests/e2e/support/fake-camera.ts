/**
 * A fake camera for Chromium: `--use-file-for-fake-video-capture` plays a
 * YUV4MPEG2 file in a loop. This writes one showing QR codes made with
 * `qrcode`: each code's modules drawn black on white in the luma plane,
 * chroma neutral (4:2:0, so a grey picture), `framesEach` frames per code.
 */
import { mkdirSync, openSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import { chromium, type Browser } from '@playwright/test';

export interface FakeVideo {
	width?: number;
	height?: number;
	fps?: number;
	framesEach?: number;
}

const WHITE = 235;
const BLACK = 16;

/** The luma plane of one frame showing `text` as a QR code centred on white. */
export function qrLuma(text: string, width: number, height: number): Uint8Array {
	const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
	const modules = qr.modules.size;
	const quiet = 4;
	const scale = Math.floor((Math.min(width, height) * 0.85) / (modules + 2 * quiet));
	const side = modules * scale;
	const left = Math.floor((width - side) / 2);
	const top = Math.floor((height - side) / 2);
	const luma = new Uint8Array(width * height).fill(WHITE);
	for (let row = 0; row < modules; row++) {
		for (let col = 0; col < modules; col++) {
			if (!qr.modules.get(row, col)) continue;
			for (let y = 0; y < scale; y++) luma.fill(BLACK, (top + row * scale + y) * width + left + col * scale, (top + row * scale + y) * width + left + (col + 1) * scale);
		}
	}
	return luma;
}

/** Writes a Y4M video showing each of `texts` in turn (null: a blank white picture); returns its path. */
export function writeQrVideo(file: string, texts: ReadonlyArray<string | null>, options: FakeVideo = {}): string {
	const { width = 640, height = 480, fps = 10, framesEach = 10 } = options;
	mkdirSync(path.dirname(file), { recursive: true });
	const out = openSync(file, 'w');
	try {
		writeSync(out, `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
		const chroma = new Uint8Array((width / 2) * (height / 2) * 2).fill(128);
		for (const text of texts) {
			const luma = text === null ? new Uint8Array(width * height).fill(WHITE) : qrLuma(text, width, height);
			for (let i = 0; i < framesEach; i++) {
				writeSync(out, 'FRAME\n');
				writeSync(out, luma);
				writeSync(out, chroma);
			}
		}
	} finally {
		closeSync(out);
	}
	return file;
}

/**
 * A Chromium of its own whose camera plays `video` (one fake camera file per
 * browser). The camera permission is not granted: a test calls
 * `context.grantPermissions(['camera'])` when the kiosk may start scanning.
 */
export function browserWithCamera(video: string): Promise<Browser> {
	return chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--use-fake-device-for-media-stream',
			`--use-file-for-fake-video-capture=${path.resolve(video)}`,
			'--autoplay-policy=no-user-gesture-required',
		],
	});
}
