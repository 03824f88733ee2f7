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
import { algorithmIds, findAlgorithmSpec } from './algorithms/spec-registry';
import { FUNCTION_NAMES } from './problems/functions';
import { functionOf, functionRunError } from './problems/functions-config';
import { convListSchema } from './problems/cnn-spec';
import { checkCNN } from './problems/cnn-config';

// zod v4 probes `new Function('')` to decide whether it may JIT-compile parsers; the lab's CSP forbids
// eval, so the probe shows up as a violation (page and worker). Parse without the JIT everywhere.
z.config({ jitless: true });

import { CONFIG_VERSION, finite, int, LIMITS, matrix, seed } from './config-fields';
import { checkNMF, checkNMFRuns, nmfProblemSchema } from './config-nmf';

export { CONFIG_VERSION, LIMITS, NMF_EPSILON } from './config-fields';
export { nmfProblemSchema, nmfShape, type NMFProblemConfig } from './config-nmf';

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
  /** Convolution blocks before the hidden stack (a CNN on an image data set: problems/cnn-spec.ts). */
  conv: convListSchema.optional(),
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
  /** Evaluate f (and the test f) after every k-th step; absent = "auto" (core/fold/eval-every.ts). */
  evalEvery: z
    .union([z.literal('auto'), z.number().int('evalEvery must be an integer').min(1, `evalEvery must be in [1, ${LIMITS.steps}] or "auto"`).max(LIMITS.steps, `evalEvery must be in [1, ${LIMITS.steps}] or "auto"`)], {
      error: `evalEvery must be an integer in [1, ${LIMITS.steps}] or "auto"`,
    })
    .optional(),
  sweep: sweepSchema.optional(),
});

export type ExperimentInput = z.input<typeof experimentSchema>;
export type ExperimentConfig = z.output<typeof experimentSchema>;
export type MLPProblemConfig = z.output<typeof mlpProblemSchema>;
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
  const alg = findAlgorithmSpec(algorithm);
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
  if (params > LIMITS.params && !p.conv)
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
  const errors = p.kind === 'mlp' ? [...checkMLP(p), ...checkCNN(p, config.runs)] : p.kind === 'nmf' ? [...checkNMF(p), ...checkNMFRuns(p, config.runs)] : [];
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
  return run.id ?? `${index + 1}: ${findAlgorithmSpec(run.algorithm)?.label ?? run.algorithm}`;
}
