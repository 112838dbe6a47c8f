/**
 * A short beep for a scan, made with WebAudio (no audio file to cache): a
 * rising pair of tones for "signed in", a falling pair for "signed out", a
 * low buzz for a refused scan. Browsers start audio only after a tap, so the
 * kiosk's first tap (the one that goes full screen) calls `unlockSound`.
 */
export type Sound = 'sign-in' | 'sign-out' | 'refused';

const tones: Record<Sound, Array<{ hz: number; ms: number }>> = {
	'sign-in': [
		{ hz: 660, ms: 90 },
		{ hz: 990, ms: 120 },
	],
	'sign-out': [
		{ hz: 990, ms: 90 },
		{ hz: 660, ms: 120 },
	],
	refused: [{ hz: 220, ms: 300 }],
};

let context: AudioContext | null = null;

function audio(): AudioContext | null {
	if (typeof AudioContext === 'undefined') return null;
	context ??= new AudioContext();
	return context;
}

export function unlockSound(): void {
	void audio()?.resume().catch(() => undefined);
}

export function playSound(sound: Sound): void {
	const ctx = audio();
	if (!ctx || ctx.state !== 'running') return; // not unlocked yet: silence rather than an error
	let at = ctx.currentTime;
	for (const { hz, ms } of tones[sound]) {
		const oscillator = ctx.createOscillator();
		const gain = ctx.createGain();
		oscillator.type = sound === 'refused' ? 'square' : 'sine';
		oscillator.frequency.value = hz;
		gain.gain.setValueAtTime(0.25, at);
		gain.gain.exponentialRampToValueAtTime(0.001, at + ms / 1000);
		oscillator.connect(gain).connect(ctx.destination);
		oscillator.start(at);
		oscillator.stop(at + ms / 1000);
		at += ms / 1000;
	}
}
