/**
 * The kiosk's camera: a rear camera if the tablet has one, read
 * continuously. Each frame is copied to an ImageBitmap (cheap, no canvas)
 * and transferred to the decoder worker; the next frame is taken when the
 * worker answers, so a slow tablet decodes fewer frames rather than
 * queueing them.
 */
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import type { DecodeReply, DecodeRequest, DecoderSetup } from './decoder-messages';

export interface Sighting {
	text: string;
	/** `performance.now()` when the frame was taken: where scan-to-confirmation time starts. */
	frameAt: number;
	decodeMs: number;
}

export interface Scanner {
	stop(): void;
}

export type CameraProblem = 'no-camera' | 'camera-denied' | 'decoder-failed';

/** Time between two decodes while nothing is found, so an idle kiosk does not keep a core busy. */
const IDLE_GAP_MS = 60;

/** Asks for the rear camera ("environment"), taking any camera when there is none. */
export async function openCamera(): Promise<MediaStream> {
	return navigator.mediaDevices.getUserMedia({
		audio: false,
		video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
	});
}

export function cameraProblemOf(error: unknown): CameraProblem {
	const name = error instanceof DOMException ? error.name : '';
	return name === 'NotAllowedError' || name === 'SecurityError' ? 'camera-denied' : 'no-camera';
}

/** Reads QR codes from `video` (already playing `stream`) until stopped. */
export function startScanner(video: HTMLVideoElement, onSighting: (sighting: Sighting) => void, onProblem: (problem: CameraProblem) => void): Scanner {
	const decoder = new Worker(new URL('./decoder.worker.ts', import.meta.url), { type: 'module' });
	// Imported here rather than in the worker: a client asset is in the service worker's precache list, a worker's own asset is not.
	decoder.postMessage({ wasmUrl } satisfies DecoderSetup);
	let stopped = false;
	let nextId = 0;
	let pending: { id: number; frameAt: number } | null = null;
	let timer: ReturnType<typeof setTimeout> | undefined;

	decoder.addEventListener('message', (event: MessageEvent<DecodeReply>) => {
		const reply = event.data;
		if (stopped || reply.id !== pending?.id) return;
		const { frameAt } = pending;
		pending = null;
		if (reply.error) {
			onProblem('decoder-failed');
			schedule(1_000);
			return;
		}
		for (const text of reply.texts) onSighting({ text, frameAt, decodeMs: reply.decodeMs });
		schedule(reply.texts.length ? 0 : IDLE_GAP_MS);
	});

	function schedule(delay: number) {
		clearTimeout(timer);
		timer = setTimeout(() => void grab(), delay);
	}

	async function grab() {
		if (stopped) return;
		if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) return schedule(100);
		const frameAt = performance.now();
		let frame: ImageBitmap;
		try {
			frame = await createImageBitmap(video);
		} catch {
			return schedule(100);
		}
		if (stopped) return frame.close();
		pending = { id: ++nextId, frameAt };
		const request: DecodeRequest = { id: pending.id, frame };
		decoder.postMessage(request, [frame]);
	}

	schedule(0);
	return {
		stop() {
			stopped = true;
			clearTimeout(timer);
			decoder.terminate();
		},
	};
}
