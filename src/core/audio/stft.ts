/**
 * Short-time Fourier transform and its inverse, no DOM (fft.js, MIT, radix-4 real FFT).
 * Analysis: X[b, t] = Σₙ w[n]·x[t·hop + n − pad]·e^{−2πi·b·n/N} (frames centred: pad = N/2 zeros).
 * Synthesis (weighted overlap-add, Griffin & Lim 1984): y[m] = Σₜ w[m − t·hop]·ifft(X[·, t])[m − t·hop]
 * / Σₜ w²[m − t·hop], which is x exactly wherever Σₜ w² > 0 — every sample when hop ≤ N/2.
 */
import FFT from 'fft.js';
import { stftBins, stftFrames, stftPad, type StftParams, type StftWindow } from './shape';

export interface Stft extends StftParams {
  bins: number;
  frames: number;
  /** Length of the analysed signal (the inverse returns this many samples). */
  length: number;
  /** Real and imaginary parts, bins × frames, row-major: [b·frames + t]. */
  re: Float64Array;
  im: Float64Array;
}

/** The analysis (= synthesis) window, periodic, length N. */
export function stftWindow(kind: StftWindow, N: number): Float64Array {
  const a = kind === 'hann' ? 0.5 : 0.54;
  return Float64Array.from({ length: N }, (_, n) => a - (1 - a) * Math.cos((2 * Math.PI * n) / N));
}

export function checkStftParams(p: StftParams): void {
  if (!(p.fft >= 16 && (p.fft & (p.fft - 1)) === 0)) throw new Error(`stft.fft must be a power of two ≥ 16, got ${p.fft}`);
  if (!(Number.isInteger(p.hop) && p.hop >= 1 && p.hop <= p.fft / 2)) throw new Error(`stft.hop must be an integer in [1, fft/2 = ${p.fft / 2}], got ${p.hop}`);
}

export function stft(x: Float32Array | Float64Array, p: StftParams): Stft {
  checkStftParams(p);
  const { fft: N, hop } = p;
  const pad = stftPad(N);
  const frames = stftFrames(x.length, N, hop);
  const bins = stftBins(N);
  const w = stftWindow(p.window, N);
  const f = new FFT(N);
  const frame = new Float64Array(N);
  const spec = f.createComplexArray() as number[];
  const re = new Float64Array(bins * frames);
  const im = new Float64Array(bins * frames);
  for (let t = 0; t < frames; t++) {
    const s = t * hop - pad;
    for (let n = 0; n < N; n++) {
      const i = s + n;
      frame[n] = i >= 0 && i < x.length ? w[n] * x[i] : 0;
    }
    f.realTransform(spec, frame);
    for (let b = 0; b < bins; b++) {
      re[b * frames + t] = spec[2 * b];
      im[b * frames + t] = spec[2 * b + 1];
    }
  }
  return { ...p, bins, frames, length: x.length, re, im };
}

/** The inverse of `stft` for a (possibly modified) spectrum with the same layout. */
export function istft(X: Pick<Stft, 'fft' | 'hop' | 'window' | 'bins' | 'frames' | 'length' | 're' | 'im'>): Float32Array {
  const { fft: N, hop, frames, bins, length } = X;
  const pad = stftPad(N);
  const w = stftWindow(X.window, N);
  const f = new FFT(N);
  const full = f.createComplexArray() as number[];
  const time = f.createComplexArray() as number[];
  const y = new Float64Array(length);
  const norm = new Float64Array(length);
  for (let t = 0; t < frames; t++) {
    // Hermitian spectrum → real frame.
    for (let b = 0; b < bins; b++) {
      full[2 * b] = X.re[b * frames + t];
      full[2 * b + 1] = X.im[b * frames + t];
    }
    for (let b = bins; b < N; b++) {
      full[2 * b] = full[2 * (N - b)];
      full[2 * b + 1] = -full[2 * (N - b) + 1];
    }
    f.inverseTransform(time, full);
    const s = t * hop - pad;
    for (let n = 0; n < N; n++) {
      const i = s + n;
      if (i < 0 || i >= length) continue;
      y[i] += w[n] * time[2 * n];
      norm[i] += w[n] * w[n];
    }
  }
  return Float32Array.from(y, (v, i) => (norm[i] > 1e-12 ? v / norm[i] : 0));
}
