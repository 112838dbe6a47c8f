/** QR codes drawn on the server as SVG data URLs: no script needed, and the CSP allows data: images. */
import QRCode from 'qrcode';

export async function qrDataUrl(text: string): Promise<string> {
	const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
	return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** A login link as the page shows it once: the full URL and its QR code. */
export async function shownLink(origin: string, path: string): Promise<{ url: string; qr: string }> {
	const url = new URL(path, origin).toString();
	return { url, qr: await qrDataUrl(url) };
}
