/**
 * The default experiment and the presets gallery. Presets are share links (plain <a href="#v1.…">),
 * built through parseExperiment so each is valid by construction; a preset whose algorithms are not in
 * the registry yet is listed as unavailable, with the reason.
 *
 * Every preset says what its runs show only through `claims` (presetClaims.ts): structured facts whose
 * sentences are generated from them and checked against headless runs by tests/presets.test.ts. The
 * `intro` sets the scene (the problem, the algorithms, the mathematics) and makes no claim about results.
 */
import { ALGORITHM_SPECS } from '../core/algorithms/spec-registry';
import { CONFIG_VERSION, parseExperiment, type ExperimentConfig } from '../core/config';
import { claimText, type PresetClaim } from './presetClaims';
import { PAPER_PRESETS } from './presets-paper';
import { FUNCTION_PRESETS } from './presets-functions';
import { DEFAULT_VIEW, encodeShare, type ViewState } from './share';

interface RunSpec {
  algorithm: string;
  hyper?: Record<string, unknown>;
  id?: string;
  switches?: { at: number; algorithm: string; hyper?: Record<string, unknown> }[];
}

export interface PresetSpec {
  slug: string;
  title: string;
  /** Sets the scene; claims about the runs go in `claims`, never here. */
  intro: string;
  problem: Record<string, unknown>;
  runs: RunSpec[];
  steps: number;
  claims: PresetClaim[];
  view?: Partial<ViewState>;
  /** The sweep panel's grid (config.ts's sweep block: run index, hyper-parameter, values). */
  sweep?: { run: number; hyper: string; values: number[] };
}

export type Preset = PresetSpec & { names: string[]; claimTexts: string[] } & (
    | { ok: true; href: string; config: ExperimentConfig }
    | { ok: false; reason: string }
  );

const moons = { kind: 'dataset', name: 'moons', n: 256, noise: 0.15 };

export const PRESET_SPECS: PresetSpec[] = [
  {
    slug: 'adam-fast-vs-mm-moons',
    title: 'A fast Adam vs Lipschitz MM on moons',
    intro: 'A 2-8-8-1 tanh network on the two-moons data. Adam with a large step (lr = 0.1) against the Lipschitz-quadratic MM step, which backtracks its curvature L until the step provably decreases f.',
    problem: { kind: 'mlp', data: moons, hidden: [8, 8], activation: 'tanh', loss: 'bce' },
    runs: [{ algorithm: 'mm-lipschitz' }, { algorithm: 'adam', hyper: { lr: 0.1 } }],
    steps: 200,
    claims: [
      { kind: 'below', run: 1, other: 0, at: 20 },
      { kind: 'rises', run: 1 },
      { kind: 'monotone', run: 0 },
    ],
  },
  {
    slug: 'spiral-gauss-newton',
    title: 'Gauss–Newton MM on a spiral',
    intro: 'A 2-16-16-1 tanh network on two interleaved spirals, a hard problem for first-order steps. The Gauss–Newton MM step uses the curvature of the loss through the network’s Jacobian (JᵀJ), with a damping λ adapted so each step decreases f.',
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'spiral', n: 300, noise: 0.05, classes: 2 }, hidden: [16, 16], activation: 'tanh', loss: 'bce' },
    runs: [{ algorithm: 'mm-gauss-newton' }, { algorithm: 'mm-lipschitz' }, { algorithm: 'adam', hyper: { lr: 0.01 } }],
    steps: 300,
    claims: [
      { kind: 'below', run: 0, other: 1, at: 50 },
      { kind: 'below', run: 0, other: 2, at: 100 },
      { kind: 'monotone', run: 0 },
      { kind: 'monotone', run: 1 },
    ],
  },
  {
    slug: 'bohning-logistic',
    title: 'Böhning MM vs gradient descent on logistic regression',
    intro: 'Logistic regression (an MLP with no hidden layer). Böhning’s fixed Hessian bound XᵀX/4n gives a Newton-like step that can never overshoot; gradient descent uses the identity instead.',
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'gaussians', classes: 2, n: 400, noise: 0.4 }, hidden: [], loss: 'bce', l2: 0.001 },
    runs: [{ algorithm: 'mm-bohning' }, { algorithm: 'sgd', hyper: { lr: 1 } }, { algorithm: 'sgd', hyper: { lr: 0.1 } }],
    steps: 100,
    claims: [
      { kind: 'below', run: 0, other: 1, at: 5 },
      { kind: 'close', run: 0, other: 1, at: 100, rel: 0.01 },
      { kind: 'below', run: 0, other: 2, at: 100 },
      { kind: 'monotone', run: 0 },
    ],
  },
  {
    slug: 'lr-above-2-over-L',
    title: 'A step above 2/L diverges',
    intro: 'Least squares on a sine: f is a quadratic with curvature L. Gradient descent decreases it for lr < 2/L and blows up for lr > 2/L; 2/L lies between the two learning rates here. The Lipschitz MM step finds L itself. The surrogate view shows the implied model f(θₖ) + ∇f·Δ + ‖Δ‖²/(2·lr), which is a majorizer only when lr ≤ 1/L.',
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'sine', n: 200, noise: 0.1 }, hidden: [], loss: 'mse' },
    runs: [{ algorithm: 'sgd', hyper: { lr: 0.3 } }, { algorithm: 'sgd', hyper: { lr: 0.34 } }, { algorithm: 'mm-lipschitz' }],
    steps: 150,
    view: { surr: 'line', log: true },
    claims: [
      { kind: 'monotone', run: 0 },
      { kind: 'diverges', run: 1, factor: 1e6 },
      { kind: 'monotone', run: 2 },
      { kind: 'below', run: 2, other: 0, at: 10 },
    ],
  },
  {
    slug: 'adam-then-gauss-newton',
    title: 'Switch from Adam to Gauss–Newton at step 50',
    intro: 'The moons network again: two Adam runs from the same start; the second switches to Gauss–Newton MM after 50 steps, keeping θ. The switch is marked on the loss chart’s x axis and in the run table before you press Start.',
    problem: { kind: 'mlp', data: moons, hidden: [8, 8], activation: 'tanh', loss: 'bce' },
    runs: [{ algorithm: 'adam', hyper: { lr: 0.01 } }, { algorithm: 'adam', hyper: { lr: 0.01 }, switches: [{ at: 50, algorithm: 'mm-gauss-newton' }] }],
    steps: 150,
    claims: [
      { kind: 'below', run: 1, other: 0, at: 100 },
      { kind: 'monotone', run: 1, from: 50 },
    ],
  },
  {
    slug: 'minibatch-mm',
    title: 'Mini-batches void the MM guarantee',
    intro: 'The moons network trained on mini-batches of 32 points. Each MM step majorizes the loss of its own batch only; the curves show the loss on the whole training set, which nothing promises to decrease.',
    problem: { kind: 'mlp', data: moons, hidden: [8, 8], activation: 'tanh', loss: 'bce', batchSize: 32 },
    runs: [{ algorithm: 'mm-lipschitz' }, { algorithm: 'adam', hyper: { lr: 0.01 } }],
    steps: 200,
    claims: [
      { kind: 'rises', run: 0 },
      { kind: 'below', run: 0, other: 1, at: 200 },
    ],
  },
  {
    slug: 'is-nmf',
    title: 'Févotte–Idier MM vs heuristic MU on IS-NMF',
    intro: 'Itakura–Saito NMF (β = 0) of a synthetic spectrogram, rank 6. The MM exponent γ = 1/(2−β) = ½ makes every update provably decrease the divergence; the heuristic multiplicative update uses exponent 1, with no proof.',
    problem: { kind: 'nmf', beta: 0, rank: 6, data: { kind: 'spectrogram', bins: 96, frames: 128 } },
    runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }],
    steps: 300,
    claims: [
      { kind: 'monotone', run: 0 },
      { kind: 'monotone', run: 1 },
      { kind: 'below', run: 1, other: 0, at: 20 },
    ],
  },
  {
    slug: 'kl-nmf-same-update',
    title: 'For KL-NMF, MM and heuristic MU coincide',
    intro: 'Kullback–Leibler NMF (β = 1) of the same spectrogram. For 1 ≤ β ≤ 2 the MM exponent γ(β) is 1, so the Févotte–Idier MM update and the heuristic update are one and the same formula.',
    problem: { kind: 'nmf', beta: 1, rank: 6, data: { kind: 'spectrogram', bins: 96, frames: 128 } },
    runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }],
    steps: 200,
    claims: [
      { kind: 'same', run: 0, other: 1, rel: 1e-6 },
      { kind: 'monotone', run: 0 },
    ],
  },
  {
    slug: 'nmf-digits-parts',
    title: 'Parts of digits: β-NMF (KL) learns strokes',
    intro: 'Kullback–Leibler NMF (β = 1) of the first 500 UCI digits (8×8 images, pixels scaled to [0, 1]) as the columns of V (64×500), rank K = 16 — Lee & Seung’s (1999) parts demonstration. Each column of W is an 8×8 image: the Factorization panel draws W’s columns as a grid of parts, each scaled to its own max, and each digit is a nonnegative sum of them. Try β = 2 (Euclidean) or β = ½ in the problem form to see the parts change with the divergence.',
    problem: { kind: 'nmf', beta: 1, rank: 16, data: { kind: 'images', name: 'digits', n: 500 } },
    runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }],
    steps: 100,
    claims: [
      { kind: 'monotone', run: 0 },
      { kind: 'same', run: 0, other: 1, rel: 1e-6 },
      { kind: 'sparseParts', run: 0, min: 0.7 },
    ],
  },
  ...PAPER_PRESETS,
  ...FUNCTION_PRESETS,
];

/** A run's name in claims: “2: Adam, lr 0.1” — its number and algorithm as the run table labels it, plus lr and switches. */
export function runName(r: RunSpec, i: number): string {
  const label = (a: string) => ALGORITHM_SPECS[a]?.label ?? a;
  const lr = r.hyper && typeof r.hyper.lr === 'number' ? `, lr ${r.hyper.lr}` : '';
  const sw = (r.switches ?? []).map((s) => ` → ${label(s.algorithm)} after step ${s.at}`).join('');
  return `“${i + 1}: ${label(r.algorithm)}${lr}${sw}”`;
}

function build(spec: PresetSpec): Preset {
  const names = spec.runs.map(runName);
  const claimTexts = spec.claims.map((c) => claimText(c, names));
  const base = { ...spec, names, claimTexts };
  const missing = spec.runs.map((r) => r.algorithm).filter((a) => !ALGORITHM_SPECS[a]);
  if (missing.length) return { ...base, ok: false, reason: `needs ${missing.join(', ')} (not in this build yet)` };
  const r = parseExperiment({ version: CONFIG_VERSION, problem: spec.problem, runs: spec.runs, steps: spec.steps, ...(spec.sweep ? { sweep: spec.sweep } : {}) });
  if (!r.ok) return { ...base, ok: false, reason: r.errors[0] };
  return { ...base, ok: true, config: r.config, href: encodeShare(r.config, { ...DEFAULT_VIEW, ...spec.view }) };
}

let cached: Preset[] | null = null;
export function presets(): Preset[] {
  cached ??= PRESET_SPECS.map(build);
  return cached;
}

/** The setup the lab opens with (no preset repeats it): Lipschitz MM, Gauss–Newton MM and Adam on moons. */
export const DEFAULT_SETUP = {
  version: CONFIG_VERSION,
  problem: { kind: 'mlp', data: moons, hidden: [8, 8], activation: 'tanh', loss: 'bce' },
  runs: [{ algorithm: 'mm-lipschitz' }, { algorithm: 'mm-gauss-newton' }, { algorithm: 'adam', hyper: { lr: 0.01 } }],
  steps: 300,
};

export function defaultExperiment(): ExperimentConfig {
  const runs = DEFAULT_SETUP.runs.filter((r) => ALGORITHM_SPECS[r.algorithm]?.problems.includes('mlp'));
  const r = parseExperiment({ ...DEFAULT_SETUP, runs: runs.length ? runs : [{ algorithm: 'sgd' }] });
  if (r.ok) return r.config;
  const fallback = parseExperiment({ version: CONFIG_VERSION, problem: { kind: 'mlp' }, runs: [{ algorithm: Object.keys(ALGORITHM_SPECS)[0] }] });
  if (!fallback.ok) throw new Error(`no default experiment: ${fallback.errors.join('; ')}`);
  return fallback.config;
}
