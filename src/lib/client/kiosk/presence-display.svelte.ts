/**
 * The rotating presence QR (issue 9 item 6): `${origin}/k/<kiosk>/<slot>.<mac>`,
 * computed on the tablet from its presence secret so it keeps changing with
 * no network, redrawn at each 30-second slot boundary.
 */
import QRCode from 'qrcode';
import { presencePath, presenceSlot, slotStart } from '$lib/contracts/kiosk-protocol';

/** The presence URL a kiosk shows at `atMs`. */
export async function presenceUrl(origin: string, secret: string, kioskId: number, atMs: number): Promise<string> {
	return `${origin}${await presencePath(secret, kioskId, atMs)}`;
}

/** Milliseconds from `now` to the start of the next slot. */
export const msToNextSlot = (now: number): number => slotStart(presenceSlot(now) + 1) - now;

export class PresenceDisplay {
	url = $state<string | null>(null);
	/** The QR as a data URL (an <img>: allowed by the CSP, and sharp at any size with pixelated scaling). */
	image = $state<string | null>(null);
	private timer: ReturnType<typeof setTimeout> | undefined;
	private stopped = false;

	start(origin: string, secret: string, kioskId: number): void {
		this.stopped = false;
		const draw = async () => {
			const now = Date.now();
			const url = await presenceUrl(origin, secret, kioskId, now);
			const image = await QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, scale: 8 });
			if (this.stopped) return;
			this.url = url;
			this.image = image;
			// A little past the boundary, so a timer that fires early still lands in the new slot.
			this.timer = setTimeout(() => void draw(), msToNextSlot(Date.now()) + 50);
		};
		void draw();
	}

	stop(): void {
		this.stopped = true;
		clearTimeout(this.timer);
	}
}
