/**
 * An audio NMF problem's data: the signal (a built-in piece or an upload), its STFT, and V = |STFT|²
 * normalised to max 1 plus a floor of 1e-6 (every entry > 0, as IS-NMF needs; V's scale does not change
 * the masks). Both engines' V (problems/nmf-data.ts) and the worker's component signals
 * (worker/audio.ts) come from here, so they use the same numbers. The last analysis is cached: a
 * session builds V, the page's views and the component signals from one STFT.
 */
import type { NMFProblemConfig } from '../config';
import { decodePcm16 } from './pcm';
import { stft, type Stft } from './stft';
import { synthPiece } from './synth';

export type AudioDataConfig = Extract<NMFProblemConfig['data'], { kind: 'audio' }>;

export interface AudioAnalysis {
  sampleRate: number;
  signal: Float32Array;
  X: Stft;
  /** V = |X|²/max + floor, bins × frames. */
  V: number[][];
  /** Hz per bin (bin b is at b·hzPerBin) and seconds per frame (frame t is centred at t·secondsPerFrame). */
  hzPerBin: number;
  secondsPerFrame: number;
}

/** Floor added to the normalised power: ≥ 2·EPSILON (2⁻²²) so β ≤ 0 divergences stay finite. */
export const AUDIO_FLOOR = 1e-6;
/** A signal whose peak is below one 16-bit step is silent: nothing to factorise. */
export const SILENCE = 2 ** -15;

/** Throws a clear message when the signal is silent (or not finite). */
export function checkAudible(x: Float32Array): void {
  let peak = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    if (!(a <= 1e30)) throw new Error('the audio has samples that are not finite numbers');
    if (a > peak) peak = a;
  }
  if (peak < SILENCE) throw new Error(`the audio is silent (peak ${peak === 0 ? '0' : `${(20 * Math.log10(peak)).toFixed(0)} dBFS`}, below one 16-bit step): nothing to factorise`);
}

export function audioSignal(d: AudioDataConfig): { sampleRate: number; signal: Float32Array } {
  const s = d.source;
  if (s.kind === 'builtin') return { sampleRate: s.sampleRate, signal: synthPiece(s) };
  return { sampleRate: s.sampleRate, signal: decodePcm16(s.pcm16) };
}

let last: { key: AudioDataConfig; json: string; result: AudioAnalysis } | null = null;

/** The analysis of an audio data config (cached by value: the same config gives the same object). */
export function analyseAudio(d: AudioDataConfig): AudioAnalysis {
  const json = JSON.stringify(d);
  if (last && (last.key === d || last.json === json)) return last.result;
  const { sampleRate, signal } = audioSignal(d);
  checkAudible(signal);
  const X = stft(signal, d.stft);
  let max = 0;
  const P = new Float64Array(X.re.length);
  for (let i = 0; i < P.length; i++) {
    P[i] = X.re[i] * X.re[i] + X.im[i] * X.im[i];
    if (P[i] > max) max = P[i];
  }
  const V = Array.from({ length: X.bins }, (_, b) => Array.from(P.subarray(b * X.frames, (b + 1) * X.frames), (p) => p / max + AUDIO_FLOOR));
  const result = { sampleRate, signal, X, V, hzPerBin: sampleRate / d.stft.fft, secondsPerFrame: d.stft.hop / sampleRate };
  last = { key: d, json, result };
  return result;
}
