/**
 * The data and initial factors of a β-NMF problem as plain numbers (no tfjs): the seeded synthetic V,
 * the synthesised spectrogram, an audio power spectrogram (core/audio/analysis.ts), the cleaning both engines apply to V, scikit-learn's random init and the
 * problem's penalty. Every engine builds its NMF problem from these (problems/nmf.ts on tfjs,
 * engines/cpu/nmf-problem.ts), so they factorise the same V from the same (W₀, H₀).
 */
import type { NMFProblemConfig } from '../config';
import { NO_PENALTY, type NMFPenalty } from '../engine/nmf-ops';
import { analyseAudio } from '../audio/analysis';
import { Rng } from '../rng';
import { getImageSet } from '../data/images';
import type { ImageDatasetName } from '../data/image-sets';

/**
 * V = the first n images of a loaded image set as columns (pixels × n; pixel p = row·cols + col of the
 * image), scaled to [0, 1] by the set's max (16 for digits, 255 for MNIST): nonnegative, with zeros.
 */
export function imagesNMFData(name: ImageDatasetName, n: number): number[][] {
  const set = getImageSet(name);
  const { rows, cols, max, count } = set.info;
  if (!(n >= 1 && n <= count)) throw new Error(`data set '${name}' has ${count} images; n = ${n} is out of range [1, ${count}]`);
  const d = rows * cols;
  return Array.from({ length: d }, (_, p) => Array.from({ length: n }, (_, j) => set.pixels[j * d + p] / max));
}

/** np.finfo(np.float32).eps — scikit-learn's EPSILON in _nmf.py, used even for float64 data. */
export const EPSILON = 2 ** -23;
/** np.finfo(np.float64).eps — the threshold below which sklearn's `mu` solver zeroes W/H entries. */
export const EPS64 = 2 ** -52;

/**
 * A seeded strictly positive V = (W*H*) ⊙ exp(σz − σ²/2) + floor: W* (rows×r), H* (r×cols) with
 * exponential (gamma, shape 1) entries, z standard normal, σ = noise (log-normal noise of mean 1).
 */
export function syntheticNMFData(rows: number, cols: number, trueRank: number, noise: number, seed: number): number[][] {
  const rng = new Rng(seed);
  const expo = (): number => -Math.log(1 - rng.uniform());
  const Wt = Array.from({ length: rows }, () => Array.from({ length: trueRank }, expo));
  const Ht = Array.from({ length: trueRank }, () => Array.from({ length: cols }, expo));
  const V: number[][] = [];
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const row: number[] = [];
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let k = 0; k < trueRank; k++) s += Wt[i][k] * Ht[k][j];
      const v = s * Math.exp(noise * rng.normal() - (noise * noise) / 2);
      row.push(v);
      sum += v;
    }
    V.push(row);
  }
  // (never below 2·EPSILON: every entry stays one that the β ≤ 0 divergences count)
  const floor = Math.max(1e-6 * (sum / (rows * cols)), 2 * EPSILON);
  return V.map((r) => r.map((v) => v + floor));
}

/**
 * A deterministic power spectrogram (bins × frames) of a few piano-like notes — the opening of "Mary
 * had a little lamb" (E D C D E E E, as in Févotte, Bertin & Durrieu's IS-NMF demo): each note has
 * inharmonic partials with 1/h amplitudes and Gaussian main lobes, an exponentially decaying envelope
 * (higher partials decay faster), damped when the next note starts, plus a short broadband hammer
 * noise at each onset. Frequencies 0…2 kHz over the bins. Normalised to max 1, floor 1e-6 so that
 * every entry is > 0 (IS-NMF needs it). Ground truth: rank 4 (three pitches and the hammer).
 */
export function spectrogramNMFData(bins: number, frames: number): number[][] {
  const fmax = 2000;
  const hzPerBin = fmax / bins;
  const sigmaHz = Math.max(0.7 * hzPerBin, 4);
  const midi = [64, 62, 60, 62, 64, 64, 64];
  const slot = frames / (midi.length + 1);
  const V = Array.from({ length: bins }, () => new Float64Array(frames));
  const tau0 = Math.max(2, 2.5 * slot);
  midi.forEach((m, i) => {
    const f0 = 440 * 2 ** ((m - 69) / 12);
    const onset = Math.round(0.5 * slot + i * slot);
    const release = i + 1 < midi.length ? Math.round(0.5 * slot + (i + 1) * slot) : frames;
    for (let h = 1; ; h++) {
      const fh = h * f0 * Math.sqrt(1 + 1e-4 * h * h);
      if (fh > fmax + 3 * sigmaHz) break;
      const amp = 1 / h;
      const tau = tau0 / (1 + 0.4 * (h - 1));
      for (let t = onset; t < frames; t++) {
        const dt = t - onset;
        let env = Math.min(1, (dt + 1) / 2) * Math.exp(-dt / tau);
        if (t >= release) env *= Math.exp(-(t - release) / 1.5);
        if (env < 1e-12) break;
        for (let b = 0; b < bins; b++) {
          const df = (b * hzPerBin - fh) / sigmaHz;
          if (Math.abs(df) > 8) continue;
          const a = amp * env * Math.exp(-0.5 * df * df);
          V[b][t] += a * a;
        }
      }
    }
    // hammer: broadband, decays within a couple of frames
    for (let t = onset; t < Math.min(frames, onset + 6); t++) {
      const e = 0.03 * Math.exp(-(t - onset) / 0.8);
      for (let b = 0; b < bins; b++) {
        const a = e / (1 + (b * hzPerBin) / 500);
        V[b][t] += a * a;
      }
    }
  });
  let max = 0;
  for (const row of V) for (const v of row) max = Math.max(max, v);
  return V.map((row) => Array.from(row, (v) => v / max + 1e-6));
}

function rawNMFData(p: NMFProblemConfig, dataSeed: number): number[][] {
  switch (p.data.kind) {
    case 'explicit':
      return p.data.V;
    case 'synthetic':
      return syntheticNMFData(p.data.rows, p.data.cols, p.data.trueRank, p.data.noise, dataSeed);
    case 'spectrogram':
      return spectrogramNMFData(p.data.bins, p.data.frames);
    case 'images':
      return imagesNMFData(p.data.name, p.data.n);
    case 'audio':
      return analyseAudio(p.data).V;
  }
}

/**
 * V for an NMF problem config (seeded with `dataSeed` where random), as every engine uses it.
 * Entries at or below EPSILON (in float32) are what the objective counts as zeros (sklearn's
 * `X > EPSILON` mask), so for β > 0, β ≠ 2 they are zeros here too, and the updates minimise the very
 * objective that is reported (sklearn's updates would see the tiny value). With β ≤ 0 a zero of V
 * makes d_β infinite (sklearn's sum counts −1 or wh^β/β < 0 instead): config validation refuses
 * such explicit V (synthetic and spectrogram data stay above 2·EPSILON), so the lab never runs it.
 */
export function nmfData(p: NMFProblemConfig, dataSeed: number): number[][] {
  const V = rawNMFData(p, dataSeed);
  if (p.beta === 2 || p.beta <= 0) return V;
  const small = (v: number): boolean => !(Math.fround(v) > EPSILON);
  return V.some((r) => r.some(small)) ? V.map((r) => r.map((v) => (small(v) ? 0 : v))) : V;
}

/**
 * scikit-learn's init='random': avg = sqrt(mean(V)/K); H = avg·|N(0,1)| (K×n) drawn first, then
 * W = avg·|N(0,1)| (m×K) — with MM Lab's seeded Rng (so not numpy's numbers).
 */
export function randomNMFInit(V: number[][], rank: number, seed: number): { W0: number[][]; H0: number[][] } {
  const m = V.length;
  const n = V[0].length;
  let sum = 0;
  for (const row of V) for (const v of row) sum += v;
  const avg = Math.sqrt(sum / (m * n) / rank);
  const rng = new Rng(seed);
  const H0 = Array.from({ length: rank }, () => Array.from({ length: n }, () => avg * Math.abs(rng.normal())));
  const W0 = Array.from({ length: m }, () => Array.from({ length: rank }, () => avg * Math.abs(rng.normal())));
  return { W0, H0 };
}

/** The problem's penalty (config `penalty`; none when absent or l1 = 0). */
export function nmfPenalty(p: NMFProblemConfig): NMFPenalty {
  return p.penalty && p.penalty.l1 > 0 ? { l1: p.penalty.l1, normalizeW: p.penalty.normalizeW } : NO_PENALTY;
}
