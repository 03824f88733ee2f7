/**
 * The β-NMF problem's part of the config: its schema (synthetic, spectrogram, explicit or audio V;
 * rank, β, explicit init, Févotte–Idier's ℓ1 penalty), V's size without building it, and the checks
 * that need more than one field (size limits, zeros of V at β ≤ 0, init shapes, algorithms that cannot
 * run at this β).
 */
import { z } from 'zod';
import { findAlgorithmSpec } from './algorithms/spec-registry';
import { AUDIO_PIECES, pieceSamples, STFT_WINDOWS, stftBins, stftFrames, uploadSamples } from './audio/shape';
import { MAX_AUDIO_SECONDS, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './audio/wav';
import { int, LIMITS, matrix, NMF_EPSILON, NMF_EPSILON_TEXT } from './config-fields';
import { IMAGE_DATASETS, IMAGE_SETS } from './data/image-sets';

/** Most images an NMF of an image set factorises (V is pixels × n). */
export const MAX_NMF_IMAGES = 2000;

/**
 * Audio: V is the power spectrogram |STFT|² of a sound (core/audio), normalised to max 1 plus a floor
 * of 1e-6. A built-in piece is named with its parameters (share links carry it); an upload carries its
 * mono mix as base64 16-bit PCM (Export JSON keeps it; the page never puts it in a share link).
 */
const audioData = z
  .strictObject({
    kind: z.literal('audio'),
    source: z.discriminatedUnion(
      'kind',
      [
        z.strictObject({
          kind: z.literal('builtin'),
          name: z.enum(AUDIO_PIECES, { error: `audio piece must be one of ${AUDIO_PIECES.join(', ')}` }),
          sampleRate: int('sampleRate', 8000, 48000).default(16000),
          noteSeconds: z.number().min(0.2, 'noteSeconds must be in [0.2, 2]').max(2, 'noteSeconds must be in [0.2, 2]').default(0.5),
        }),
        z.strictObject({
          kind: z.literal('upload'),
          name: z.string().max(200, 'the file name must have at most 200 characters').default('upload.wav'),
          sampleRate: int('sampleRate', MIN_SAMPLE_RATE, MAX_SAMPLE_RATE),
          /** The mono mix, 16-bit little-endian PCM, base64. */
          pcm16: z
            .string()
            .max(Math.ceil((MAX_AUDIO_SECONDS * MAX_SAMPLE_RATE * 2) / 3) * 4 + 4, `pcm16: at most ${MAX_AUDIO_SECONDS} s of audio`)
            .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'pcm16 must be base64 (16-bit PCM samples)'),
        }),
      ],
      { error: "audio source.kind must be 'builtin' or 'upload'" },
    ),
    stft: z
      .strictObject({
        fft: int('stft.fft', 64, 4096).refine((n) => (n & (n - 1)) === 0, 'stft.fft must be a power of two in [64, 4096]').default(1024),
        hop: int('stft.hop', 16, 2048).default(256),
        window: z.enum(STFT_WINDOWS, { error: `stft.window must be one of ${STFT_WINDOWS.join(', ')}` }).default('hann'),
      })
      .default({ fft: 1024, hop: 256, window: 'hann' }),
  })
  .refine((d) => d.stft.hop <= d.stft.fft / 2, { message: 'stft.hop must be at most fft/2 (so the inverse STFT reconstructs every sample)', path: ['stft', 'hop'] });

const nmfData = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('synthetic'),
      rows: int('rows', 2, 1024).default(64),
      cols: int('cols', 2, 1024).default(64),
      /** Rank of the noiseless ground truth. */
      trueRank: int('trueRank', 1, LIMITS.nmfRank).default(4),
      noise: z.number().min(0, 'noise must be in [0, 1]').max(1, 'noise must be in [0, 1]').default(0.05),
    }),
    z.strictObject({
      kind: z.literal('spectrogram'),
      bins: int('bins', 8, 1024).default(96),
      frames: int('frames', 8, 1024).default(128),
    }),
    z.strictObject({ kind: z.literal('explicit'), V: matrix('V') }),
    audioData,
    /**
     * Images: V = the first n images of a shipped set as columns (pixels × n, row-major pixels),
     * scaled to [0, 1] (pixel / the set's max, 16 for digits) — Lee & Seung's parts demonstration.
     */
    z.strictObject({
      kind: z.literal('images'),
      name: z.enum(IMAGE_DATASETS, { error: `images name must be one of ${IMAGE_DATASETS.join(', ')}` }),
      n: int('n', 2, MAX_NMF_IMAGES).default(500),
    }),
  ],
  { error: "data.kind must be 'synthetic', 'spectrogram', 'explicit', 'audio' or 'images'" },
);

export const nmfProblemSchema = z.strictObject({
  kind: z.literal('nmf'),
  beta: z.number().min(-5, 'beta must be in [-5, 5]').max(5, 'beta must be in [-5, 5]').default(1),
  rank: int('rank', 1, LIMITS.nmfRank).default(4),
  data: nmfData.default({ kind: 'synthetic', rows: 64, cols: 64, trueRank: 4, noise: 0.05 }),
  /** Explicit W0 (m×K) and H0 (K×n); otherwise seeded like scikit-learn's init='random'. */
  init: z.strictObject({ W0: matrix('W0'), H0: matrix('H0') }).optional(),
  /**
   * Févotte & Idier's penalized NMF (§6): f = D_β(V | WH) + l1·Σ H, W's columns renormalised to unit
   * `normalizeW` norm after each iteration (H's rows scaled, WH unchanged). Absent: no penalty (old
   * links parse as before). scikit-learn's NMF(solver='mu', alpha_W=0, alpha_H=a, l1_ratio=1) is
   * l1 = m·a (m = V's rows) with normalizeW 'none' (docs/ARCHITECTURE.md, NMF).
   */
  penalty: z
    .strictObject({
      l1: z.number({ error: 'penalty.l1 must be a number' }).min(0, 'penalty.l1 must be in [0, 1e6]').max(1e6, 'penalty.l1 must be in [0, 1e6]').default(0),
      normalizeW: z.enum(['l1', 'l2', 'none'], { error: "penalty.normalizeW must be 'l1', 'l2' or 'none'" }).default('l1'),
    })
    .optional(),
});

export type NMFProblemConfig = z.output<typeof nmfProblemSchema>;
/** What the β check reads of a run: its algorithm and its scheduled switches'. */
export interface NMFRunRef {
  algorithm: string;
  switches: readonly { algorithm: string }[];
}

/** Runs whose algorithm (or a scheduled switch's) cannot run at this β (e.g. ME outside its closed forms). */
export function checkNMFRuns(p: NMFProblemConfig, runs: readonly NMFRunRef[]): string[] {
  const errors: string[] = [];
  runs.forEach((run, i) => {
    const steps = [{ id: run.algorithm, at: `runs[${i}].algorithm` }, ...run.switches.map((s, j) => ({ id: s.algorithm, at: `runs[${i}].switches[${j}].algorithm` }))];
    for (const { id, at } of steps) {
      const alg = findAlgorithmSpec(id);
      const why = alg?.betaError?.(p.beta);
      if (why) errors.push(`${at}: ${why}`);
    }
  });
  return errors;
}

/** V's size (rows × columns) for an NMF problem, without building V. */
export function nmfShape(p: NMFProblemConfig): [number, number] {
  const d = p.data;
  switch (d.kind) {
    case 'explicit':
      return [d.V.length, d.V[0].length];
    case 'synthetic':
      return [d.rows, d.cols];
    case 'spectrogram':
      return [d.bins, d.frames];
    case 'images':
      return [IMAGE_SETS[d.name].rows * IMAGE_SETS[d.name].cols, d.n];
    case 'audio': {
      const n = d.source.kind === 'builtin' ? pieceSamples(d.source.name, d.source.sampleRate, d.source.noteSeconds) : uploadSamples(d.source.pcm16);
      return [stftBins(d.stft.fft), stftFrames(n, d.stft.fft, d.stft.hop)];
    }
  }
}

export function checkNMF(p: NMFProblemConfig): string[] {
  const errors: string[] = [];
  const shape = nmfShape(p);
  if (shape[0] * shape[1] > LIMITS.nmfEntries)
    errors.push(`problem.data: at most ${LIMITS.nmfEntries} entries in V${p.data.kind === 'audio' ? ` (this audio gives ${shape[0]} bins × ${shape[1]} frames: raise stft.hop, lower stft.fft or use a shorter recording)` : ''}`);
  if (p.data.kind === 'audio' && p.data.source.kind === 'upload') {
    const n = uploadSamples(p.data.source.pcm16);
    if (n === 0) errors.push('problem.data.source.pcm16: the upload has no samples');
    if (n > MAX_AUDIO_SECONDS * p.data.source.sampleRate) errors.push(`problem.data.source: the recording is ${(n / p.data.source.sampleRate).toFixed(1)} s long, at most ${MAX_AUDIO_SECONDS} s`);
  }
  if (p.data.kind === 'images' && p.data.n > IMAGE_SETS[p.data.name].count) errors.push(`problem.data.n: '${p.data.name}' has ${IMAGE_SETS[p.data.name].count} images`);
  if (p.data.kind === 'images' && p.beta <= 0)
    errors.push(`problem.data: β ≤ 0 needs every entry of V above ${NMF_EPSILON_TEXT}, and images have zero (blank) pixels, where a β ≤ 0 divergence is infinite: use β > 0 (e.g. 1, Kullback–Leibler)`);
  if (p.data.kind === 'explicit' && p.data.V.some((r) => r.some((v) => v < 0))) errors.push('problem.data.V: entries must be ≥ 0');
  // Entries at or below scikit-learn's EPSILON (after rounding to float32) count as zeros in the
  // divergence, and with β ≤ 0 the divergence is infinite at a zero of V: refused, threshold stated.
  else if (p.data.kind === 'explicit' && p.beta <= 0) {
    const small = p.data.V.reduce((c, r) => c + r.filter((v) => !(Math.fround(v) > NMF_EPSILON)).length, 0);
    if (small > 0)
      errors.push(
        `problem.data.V: β ≤ 0 needs every entry of V above ${NMF_EPSILON_TEXT} (scikit-learn's EPSILON, 2⁻²³; smaller entries count as zeros, where a β ≤ 0 divergence is infinite), and ${small} ${small === 1 ? 'entry is' : 'entries are'} not (use β > 0, or a floor above ${NMF_EPSILON_TEXT})`,
      );
  }
  if (p.init) {
    const { W0, H0 } = p.init;
    if (W0.length !== shape[0] || W0[0].length !== p.rank) errors.push(`problem.init.W0: must be ${shape[0]}×${p.rank}`);
    if (H0.length !== p.rank || H0[0].length !== shape[1]) errors.push(`problem.init.H0: must be ${p.rank}×${shape[1]}`);
    if ([...W0, ...H0].some((r) => r.some((v) => v < 0))) errors.push('problem.init: W0 and H0 must be ≥ 0');
  }
  return errors;
}
