/**
 * The audio NMF problem's sizes without computing anything: how many samples a source has and how
 * many STFT frames and bins that gives, so config validation (config.ts) can check V's size and the
 * length limit before any audio is decoded. No FFT import here (config.ts stays light).
 */
import { base64Bytes } from './pcm';

/** The built-in pieces (synth.ts), by name: share links carry the name and its parameters. */
export const AUDIO_PIECES = ['piano-notes'] as const;
export type AudioPiece = (typeof AUDIO_PIECES)[number];

/** Notes (MIDI numbers) of each event of 'piano-notes': C4, E4, G4 alone, then together in chords. */
export const PIANO_EVENTS: readonly (readonly number[])[] = [[60], [64], [67], [60, 64, 67], [60, 67], [64, 67]];

export const STFT_WINDOWS = ['hann', 'hamming'] as const;
export type StftWindow = (typeof STFT_WINDOWS)[number];
export interface StftParams {
  /** FFT size = window length (a power of two). */
  fft: number;
  /** Hop between frames, in samples (at most fft/2, so every sample is covered by a window's bulk). */
  hop: number;
  window: StftWindow;
}

/** Zero padding before the first sample (frames are centred on t·hop, as librosa's center=True). */
export const stftPad = (fft: number): number => fft >> 1;

/** Frames of an n-sample signal: the first centred on sample 0, the last reaching past the end. */
export function stftFrames(n: number, fft: number, hop: number): number {
  const padded = n + 2 * stftPad(fft);
  return Math.max(1, Math.ceil(Math.max(0, padded - fft) / hop) + 1);
}

/** Frequency bins of a real signal's spectrum: 0 … Nyquist. */
export const stftBins = (fft: number): number => (fft >> 1) + 1;

/** Samples of a built-in piece. */
export function pieceSamples(name: AudioPiece, sampleRate: number, noteSeconds: number): number {
  switch (name) {
    case 'piano-notes':
      return Math.round(PIANO_EVENTS.length * noteSeconds * sampleRate);
  }
}

/** Samples of an uploaded source (16-bit mono, base64). */
export const uploadSamples = (pcm16: string): number => base64Bytes(pcm16) >> 1;
