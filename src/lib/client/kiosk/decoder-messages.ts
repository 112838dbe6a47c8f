/** The messages between the kiosk page and its decoder worker. */

/** The first message: where the decoder's wasm is (on our own origin, precached). */
export interface DecoderSetup {
	wasmUrl: string;
}

export interface DecodeRequest {
	id: number;
	/** Transferred to the worker, which closes it. */
	frame: ImageBitmap;
}

export interface DecodeReply {
	id: number;
	/** The text of every QR code found in the frame (usually none or one). */
	texts: string[];
	decodeMs: number;
	/** The decoder failed (its wasm could not load, say): the scanner reports it rather than looping silently. */
	error?: string;
}
