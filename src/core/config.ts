/**
 * The experiment config: one versioned schema for the URL hash, the CLI's JSON file, the worker's
 * `start` message and exported results. `parseExperiment` never throws on bad input: it returns
 * messages that name the field and the reason (e.g. "runs[0].hyper.lr: lr must be > 0").
 */
import { z } from 'zod';
import { ALL_DATASETS, datasetClasses, isClassification } from './data/datasets';
import { IMAGE_MIN_N, IMAGE_SETS, imageInputs, isImageDataset } from './data/image-sets';
import { ACTIVATIONS, LOSSES } from './problems/mlp-spec';
import { FEATURES } from './problems/features';
import { algorithmIds, findAlgorithm } from './algorithms/registry';
import { AUDIO_PIECES, pieceSamples, STFT_WINDOWS, stftBins, stftFrames, uploadSamples } from './audio/shape';
import { MAX_AUDIO_SECONDS, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './audio/wav';
import { FUNCTION_NAMES } from './problems/functions';
import { functionOf, functionRunError } from './problems/functions-config';

// zod v4 probes `new Function('')` to decide whether it may JIT-compile parsers; the lab's CSP forbids
// eval, so the probe shows up as a violation (page and worker). Parse without the JIT everywhere.
z.config({ jitless: true });

export const CONFIG_VERSION = 1;

/** Limits that keep the page responsive; the CLI accepts the same (bigger runs belong in PyTorch). */
export const LIMITS = {
  points: 20_000,
  width: 256,
  hiddenLayers: 6,
  runs: 8,
  steps: 1_000_000,
  nmfEntries: 1024 * 1024,
  nmfRank: 64,
  /** Parameters of one MLP (Σ (in + 1)·out): a 6×256 net on 2 inputs has 0.33M; explicit inputs can be wide. */
  params: 4_000_000,
  /** Switches per run (scheduled and mid-run): the page refuses the change that would pass it. */
  switches: 100,
} as const;

/** scikit-learn's EPSILON (float32 eps): entries of V at or below it count as zeros in the β-divergence. */
export const NMF_EPSILON = 2 ** -23;
const NMF_EPSILON_TEXT = '1.19e-7';

const finite = (name: string) => z.number({ error: `${name} must be a number` }).refine(Number.isFinite, `${name} must be finite`);
const int = (name: string, lo: number, hi: number) =>
  z
    .number({ error: `${name} must be a number` })
    .int(`${name} must be an integer`)
    .min(lo, `${name} must be in [${lo}, ${hi}]`)
    .max(hi, `${name} must be in [${lo}, ${hi}]`);
const seed = (name: string, d: number) => int(name, 0, 2 ** 31 - 1).default(d);
const matrix = (name: string) =>
  z
    .array(z.array(finite(`${name} entries`)).min(1, `${name} rows must not be empty`), { error: `${name} must be a matrix (array of rows)` })
    .min(1, `${name} must have at least one row`)
    .refine((m) => m.every((r) => r.length === m[0].length), `${name} rows must all have the same length`);

const datasetData = z.strictObject({
  kind: z.literal('dataset'),
  name: z.enum(ALL_DATASETS, { error: `dataset name must be one of ${ALL_DATASETS.join(', ')}` }),
  /** Points generated, or images drawn from an image set (at most its count: checkMLP). */
  n: int('n', 8, LIMITS.points).default(256),
  noise: z.number().min(0, 'noise must be in [0, 2]').max(2, 'noise must be in [0, 2]').default(0.1),
  testRatio: z.number().min(0, 'testRatio must be in [0, 0.9]').max(0.9, 'testRatio must be in [0, 0.9]').default(0.25),
  classes: int('classes', 2, 8).default(3),
});

const explicitData = z.strictObject({
  kind: z.literal('explicit'),
  X: matrix('X'),
  y: z.array(finite('y entries')).min(1),
  Xtest: matrix('Xtest').optional(),
  ytest: z.array(finite('ytest entries')).optional(),
});

const layerInit = z.strictObject({ W: matrix('W'), b: z.array(finite('b entries')) });

export const mlpProblemSchema = z.strictObject({
  kind: z.literal('mlp'),
  data: z.discriminatedUnion('kind', [datasetData, explicitData], { error: "data.kind must be 'dataset' or 'explicit'" }).default({
    kind: 'dataset', name: 'moons', n: 256, noise: 0.1, testRatio: 0.25, classes: 3,
  }),
  hidden: z.array(int('hidden width', 1, LIMITS.width)).max(LIMITS.hiddenLayers, `at most ${LIMITS.hiddenLayers} hidden layers`).default([8, 8]),
  activation: z.enum(ACTIVATIONS, { error: `activation must be one of ${ACTIVATIONS.join(', ')}` }).default('tanh'),
  loss: z.enum(LOSSES, { error: `loss must be one of ${LOSSES.join(', ')}` }).default('bce'),
  l2: z.number().min(0, 'l2 must be in [0, 10]').max(10, 'l2 must be in [0, 10]').default(0),
  /** null = full batch. */
  batchSize: int('batchSize', 1, LIMITS.points).nullable().default(null),
  /** Explicit initial layers [{W: [in][out], b: [out]}, …]; otherwise Glorot-uniform from seeds.init. */
  init: z.array(layerInit).optional(),
  /** Input features of 2-D data (x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2); absent: x1 and x2 as they are. */
  features: z
    .array(z.enum(FEATURES, { error: `features must be among ${FEATURES.join(', ')}` }))
    .min(1, 'features must name at least one feature')
    .refine((f) => new Set(f).size === f.length, 'features must not repeat')
    .optional(),
});

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
  ],
  { error: "data.kind must be 'synthetic', 'spectrogram', 'explicit' or 'audio'" },
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

/**
 * A 2-D test objective (problems/functions.ts), seen whole in the contour view. `start` is θ₀ = [x, y]
 * (default: the function's usual start); `kappa` (≥ 1, so L = κ) and `angle` (degrees) shape the
 * quadratic ½(u₁² + κu₂²), u = θ rotated by −angle.
 */
const coord = (name: string) => finite(name).refine((v) => Math.abs(v) <= 1000, `${name} must be in [-1000, 1000]`);
export const functionProblemSchema = z.strictObject({
  kind: z.literal('function'),
  name: z.enum(FUNCTION_NAMES, { error: `function name must be one of ${FUNCTION_NAMES.join(', ')}` }),
  start: z.tuple([coord('start[0]'), coord('start[1]')], { error: 'start must be [x, y] (two numbers)' }).optional(),
  kappa: z.number({ error: 'kappa must be a number' }).min(1, 'kappa must be in [1, 10000]').max(10000, 'kappa must be in [1, 10000]').optional(),
  angle: z.number({ error: 'angle must be a number' }).min(-180, 'angle must be in [-180, 180] (degrees)').max(180, 'angle must be in [-180, 180] (degrees)').optional(),
});

// JSON.parse makes `"__proto__"` an own key, which a record would drop silently (assigning it sets the
// prototype): refuse it as the algorithms' strict schemas refuse every other unknown key.
const hyperRecord = z
  .unknown()
  .refine((v) => !(v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, '__proto__')), 'Unrecognized key: "__proto__"')
  .pipe(z.record(z.string(), z.unknown()))
  .default({});

const switchSchema = z.strictObject({
  /** Switch before taking step `at + 1` (i.e. after `at` steps). */
  at: int('at', 0, LIMITS.steps),
  algorithm: z.string(),
  hyper: hyperRecord,
  /** Same algorithm, new hyper-parameters: keep its state (as changing lr in torch). */
  keepState: z.boolean().default(false),
});

const runSchema = z.strictObject({
  // Labels are shown as text only; control characters and markup characters are refused anyway.
  id: z
    .string()
    .max(40, 'run id must be at most 40 characters')
    .regex(/^[^<>&"'`\u0000-\u001f\u007f]*$/u, 'run id may not contain < > & quotes, backticks or control characters')
    .optional(),
  algorithm: z.string({ error: 'algorithm must be a string' }),
  hyper: hyperRecord,
  switches: z.array(switchSchema).max(LIMITS.switches, `at most ${LIMITS.switches} switches per run`).default([]),
});

/**
 * An optional hyper-parameter sweep (the CLI's `sweep` command reads it; `run` and the page ignore it):
 * one run's hyper-parameter `hyper` set to each of `values`, every other setting as in the experiment.
 * `run` is the run's id or its 0-based index (optional when there is one run). Values are checked
 * against the algorithm's own schema by core/sweep.ts.
 */
export const SWEEP_MAX_POINTS = 256;
const sweepSchema = z.strictObject({
  run: z.union([z.string().max(40, 'sweep.run must be at most 40 characters'), int('sweep.run', 0, LIMITS.runs - 1)]).optional(),
  hyper: z.string({ error: 'sweep.hyper must be the name of a hyper-parameter' }).min(1).max(40),
  values: z
    .array(z.union([finite('sweep.values entries'), z.boolean()]), { error: 'sweep.values must be an array of numbers (or true/false)' })
    .min(1, 'sweep.values must not be empty')
    .max(SWEEP_MAX_POINTS, `sweep.values: at most ${SWEEP_MAX_POINTS} points`),
});

export const experimentSchema = z.strictObject({
  version: z.literal(CONFIG_VERSION, { error: `version must be ${CONFIG_VERSION}` }),
  problem: z.discriminatedUnion('kind', [mlpProblemSchema, nmfProblemSchema, functionProblemSchema], { error: "problem.kind must be 'mlp', 'nmf' or 'function'" }),
  seeds: z
    .strictObject({ data: seed('seeds.data', 1), init: seed('seeds.init', 2), batch: seed('seeds.batch', 3) })
    .default({ data: 1, init: 2, batch: 3 }),
  runs: z.array(runSchema).min(1, 'at least one run is needed').max(LIMITS.runs, `at most ${LIMITS.runs} runs`),
  steps: int('steps', 0, LIMITS.steps).default(200),
  sweep: sweepSchema.optional(),
});

export type ExperimentInput = z.input<typeof experimentSchema>;
export type ExperimentConfig = z.output<typeof experimentSchema>;
export type MLPProblemConfig = z.output<typeof mlpProblemSchema>;
export type NMFProblemConfig = z.output<typeof nmfProblemSchema>;
export type FunctionProblemConfig = z.output<typeof functionProblemSchema>;
export type ProblemConfig = ExperimentConfig['problem'];
export type RunConfig = ExperimentConfig['runs'][number];
export type SweepConfig = NonNullable<ExperimentConfig['sweep']>;

export type ParseResult = { ok: true; config: ExperimentConfig } | { ok: false; errors: string[] };

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '');
}

function issuesToMessages(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string[] {
  return issues.map((i) => {
    const path = fieldPath([...prefix, ...i.path]);
    return path ? `${path}: ${i.message}` : i.message;
  });
}

/** Validates one algorithm's hyper-parameters, filling torch's defaults. */
export function parseHyper(
  algorithm: string,
  hyper: unknown,
  problemKind: string,
  path: readonly PropertyKey[] = [],
): { ok: true; hyper: Record<string, unknown> } | { ok: false; errors: string[] } {
  const alg = findAlgorithm(algorithm);
  const at = fieldPath(path);
  if (!alg) return { ok: false, errors: [`${at}.algorithm: unknown algorithm '${String(algorithm).slice(0, 40)}' (one of ${algorithmIds().join(', ')})`] };
  if (!alg.problems.includes(problemKind as never))
    return { ok: false, errors: [`${at}.algorithm: ${alg.label} does not apply to ${problemKind} problems (it applies to ${alg.problems.join(', ')})`] };
  const r = alg.hyper.safeParse(hyper ?? {});
  if (!r.success) return { ok: false, errors: issuesToMessages(r.error.issues, [...path, 'hyper']) };
  return { ok: true, hyper: r.data as Record<string, unknown> };
}

/** Columns of an MLP problem's data points, before any input features. */
export function mlpPointDims(p: MLPProblemConfig): number {
  return p.data.kind === 'explicit' ? p.data.X[0].length : isImageDataset(p.data.name) ? imageInputs(p.data.name) : p.data.name === 'sine' ? 1 : 2;
}

/** Output dimension and full layer sizes of an MLP problem (the inputs: its features, if any). */
export function mlpSizes(p: MLPProblemConfig): number[] {
  const raw = mlpPointDims(p);
  const d = p.features && raw === 2 ? p.features.length : raw;
  let out = 1;
  if (p.loss === 'softmax_ce') {
    out = p.data.kind === 'explicit' ? Math.max(...p.data.y) + 1 : datasetClasses(p.data);
  }
  return [d, ...p.hidden, out];
}

function checkMLP(p: MLPProblemConfig): string[] {
  const errors: string[] = [];
  if (p.data.kind === 'explicit') {
    const { X, y, Xtest, ytest } = p.data;
    if (y.length !== X.length) errors.push(`problem.data.y: has ${y.length} entries but X has ${X.length} rows`);
    if (Xtest && (!ytest || ytest.length !== Xtest.length)) errors.push('problem.data.ytest: must have one entry per row of Xtest');
    if (ytest && !Xtest) errors.push('problem.data.ytest: given without Xtest (test labels need test inputs; add Xtest or drop ytest)');
    if (Xtest && Xtest[0].length !== X[0].length) errors.push('problem.data.Xtest: must have as many columns as X');
    if (X.length > LIMITS.points) errors.push(`problem.data.X: at most ${LIMITS.points} rows`);
    if (p.loss === 'bce' && y.some((v) => v !== 0 && v !== 1)) errors.push('problem.data.y: binary cross-entropy needs labels 0 or 1');
    if (p.loss === 'softmax_ce' && y.some((v) => !Number.isInteger(v) || v < 0 || v > 63))
      errors.push('problem.data.y: softmax cross-entropy needs class indices 0..63');
  } else if (isImageDataset(p.data.name)) {
    const { count } = IMAGE_SETS[p.data.name];
    if (p.data.n < IMAGE_MIN_N || p.data.n > count)
      errors.push(`problem.data.n: '${p.data.name}' has ${count.toLocaleString('en-US')} images; n must be in [${IMAGE_MIN_N}, ${count}]`);
    if (p.loss !== 'softmax_ce') errors.push(`problem.loss: '${p.data.name}' is a ${IMAGE_SETS[p.data.name].classes}-class image set; use softmax_ce`);
  } else if (p.loss !== 'mse' && !isClassification(p.data.name)) {
    errors.push(`problem.loss: '${p.loss}' needs a classification dataset; '${p.data.name}' is regression (use mse)`);
  } else if (p.loss === 'bce' && datasetClasses(p.data) > 2) {
    errors.push(`problem.loss: binary cross-entropy needs 2 classes; '${p.data.name}' has ${datasetClasses(p.data)} (use softmax_ce, or classes: 2)`);
  }
  if (p.features && mlpPointDims(p) !== 2)
    errors.push(`problem.features: input features are made from 2-D points (x1, x2); these inputs have ${mlpPointDims(p)} dimension(s)`);
  const layers = mlpSizes(p);
  const params = layers.slice(1).reduce((n, out, l) => n + (layers[l] + 1) * out, 0);
  if (params > LIMITS.params)
    errors.push(
      `problem: the network has ${params.toLocaleString('en-US')} parameters (layer sizes ${layers.join('×')}), at most ${LIMITS.params.toLocaleString('en-US')} (too big to train in the page; use fewer input columns or narrower layers)`,
    );
  if (p.init) {
    const sizes = mlpSizes(p);
    if (p.init.length !== sizes.length - 1) errors.push(`problem.init: expected ${sizes.length - 1} layers for sizes [${sizes.join(', ')}], got ${p.init.length}`);
    else
      p.init.forEach((layer, l) => {
        if (layer.W.length !== sizes[l] || layer.W[0].length !== sizes[l + 1])
          errors.push(`problem.init[${l}].W: must be ${sizes[l]}×${sizes[l + 1]} ([in][out]), got ${layer.W.length}×${layer.W[0].length}`);
        if (layer.b.length !== sizes[l + 1]) errors.push(`problem.init[${l}].b: must have ${sizes[l + 1]} entries`);
      });
  }
  return errors;
}

/** Runs whose algorithm (or a scheduled switch's) cannot run at this β (e.g. ME outside its closed forms). */
function checkNMFRuns(p: NMFProblemConfig, runs: readonly RunConfig[]): string[] {
  const errors: string[] = [];
  runs.forEach((run, i) => {
    const steps = [{ id: run.algorithm, at: `runs[${i}].algorithm` }, ...run.switches.map((s, j) => ({ id: s.algorithm, at: `runs[${i}].switches[${j}].algorithm` }))];
    for (const { id, at } of steps) {
      const alg = findAlgorithm(id) as { betaError?: (beta: number) => string | null } | undefined;
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
    case 'audio': {
      const n = d.source.kind === 'builtin' ? pieceSamples(d.source.name, d.source.sampleRate, d.source.noteSeconds) : uploadSamples(d.source.pcm16);
      return [stftBins(d.stft.fft), stftFrames(n, d.stft.fft, d.stft.hop)];
    }
  }
}

function checkNMF(p: NMFProblemConfig): string[] {
  const errors: string[] = [];
  const shape = nmfShape(p);
  if (shape[0] * shape[1] > LIMITS.nmfEntries)
    errors.push(`problem.data: at most ${LIMITS.nmfEntries} entries in V${p.data.kind === 'audio' ? ` (this audio gives ${shape[0]} bins × ${shape[1]} frames: raise stft.hop, lower stft.fft or use a shorter recording)` : ''}`);
  if (p.data.kind === 'audio' && p.data.source.kind === 'upload') {
    const n = uploadSamples(p.data.source.pcm16);
    if (n === 0) errors.push('problem.data.source.pcm16: the upload has no samples');
    if (n > MAX_AUDIO_SECONDS * p.data.source.sampleRate) errors.push(`problem.data.source: the recording is ${(n / p.data.source.sampleRate).toFixed(1)} s long, at most ${MAX_AUDIO_SECONDS} s`);
  }
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

/** A function problem: quadratic-only parameters, and runs whose options the function cannot serve. */
function checkFunction(p: FunctionProblemConfig, runs: readonly RunConfig[]): string[] {
  const errors: string[] = [];
  if (p.name !== 'quadratic')
    for (const k of ['kappa', 'angle'] as const) if (p[k] !== undefined) errors.push(`problem.${k}: applies to the quadratic only (not ${p.name})`);
  const fn = functionOf(p);
  runs.forEach((run, i) => {
    const steps = [{ r: run, at: `runs[${i}]` }, ...run.switches.map((s, j) => ({ r: s, at: `runs[${i}].switches[${j}]` }))];
    for (const { r, at } of steps) {
      const why = functionRunError(r.algorithm, r.hyper, fn);
      if (why) errors.push(`${at}.hyper: ${why}`);
    }
  });
  return errors;
}

/** Parses and validates an experiment; hyper-parameters come back with their defaults filled in. */
export function parseExperiment(input: unknown): ParseResult {
  const r = experimentSchema.safeParse(input);
  if (!r.success) return { ok: false, errors: issuesToMessages(r.error.issues) };
  const config = r.data;
  const p = config.problem;
  const errors = p.kind === 'mlp' ? checkMLP(p) : p.kind === 'nmf' ? [...checkNMF(p), ...checkNMFRuns(p, config.runs)] : [];
  config.runs.forEach((run, i) => {
    const h = parseHyper(run.algorithm, run.hyper, config.problem.kind, ['runs', i]);
    if (h.ok) run.hyper = h.hyper;
    else errors.push(...h.errors);
    run.switches.forEach((s, j) => {
      const hs = parseHyper(s.algorithm, s.hyper, config.problem.kind, ['runs', i, 'switches', j]);
      if (hs.ok) s.hyper = hs.hyper;
      else errors.push(...hs.errors);
    });
    run.switches.sort((a, b) => a.at - b.at);
  });
  if (p.kind === 'function' && errors.length === 0) errors.push(...checkFunction(p, config.runs));
  return errors.length ? { ok: false, errors } : { ok: true, config };
}

/** Like parseExperiment, but throws one Error listing every problem (for the CLI and tests). */
export function loadExperiment(input: unknown): ExperimentConfig {
  const r = parseExperiment(input);
  if (!r.ok) throw new ConfigError(r.errors);
  return r.config;
}

export class ConfigError extends Error {
  constructor(readonly errors: string[]) {
    super(`invalid experiment config:\n  ${errors.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Default label for a run: its id, or the algorithm and its non-default hyper-parameters. */
export function runLabel(run: RunConfig, index: number): string {
  return run.id ?? `${index + 1}: ${findAlgorithm(run.algorithm)?.label ?? run.algorithm}`;
}
