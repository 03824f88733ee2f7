/**
 * The default experiment and the presets gallery. Presets are share links (plain <a href="#v1.…">),
 * built through parseExperiment so each is valid by construction; a preset whose algorithms are not in
 * the registry yet is listed as unavailable, with the reason.
 */
import { ALGORITHMS } from '../core/algorithms/registry';
import { CONFIG_VERSION, parseExperiment, type ExperimentConfig } from '../core/config';
import { DEFAULT_VIEW, encodeShare, type ViewState } from './share';

interface RunSpec {
  algorithm: string;
  hyper?: Record<string, unknown>;
  id?: string;
}

export interface PresetSpec {
  slug: string;
  title: string;
  blurb: string;
  problem: Record<string, unknown>;
  runs: RunSpec[];
  steps: number;
  view?: Partial<ViewState>;
}

export type Preset = PresetSpec & ({ ok: true; href: string; config: ExperimentConfig } | { ok: false; reason: string });

export const PRESET_SPECS: PresetSpec[] = [
  {
    slug: 'mm-vs-adam-moons',
    title: 'MM vs Adam on moons',
    blurb: 'A 2-8-8-1 tanh network: the Lipschitz-quadratic and Gauss–Newton majorizers decrease the loss at every step; Adam is faster early but non-monotone.',
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 256, noise: 0.15 }, hidden: [8, 8], activation: 'tanh', loss: 'bce' },
    runs: [{ algorithm: 'mm-lipschitz' }, { algorithm: 'mm-gauss-newton' }, { algorithm: 'adam', hyper: { lr: 0.01 } }],
    steps: 300,
  },
  {
    slug: 'is-nmf',
    title: 'Févotte–Idier MM vs heuristic MU on IS-NMF',
    blurb: 'Itakura–Saito NMF (β = 0) of a spectrogram: the MM exponent γ = 1/(2−β) = ½ is guaranteed monotone; the heuristic exponent 1 usually is, without proof.',
    problem: { kind: 'nmf', beta: 0, rank: 6, data: { kind: 'spectrogram', bins: 96, frames: 128 } },
    runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }],
    steps: 300,
  },
  {
    slug: 'bohning-logistic',
    title: 'Böhning MM vs GD on logistic regression',
    blurb: 'Logistic regression (an MLP with no hidden layer): the fixed Hessian bound XᵀX/4n gives a monotone Newton-like step; gradient descent with lr = 1 crawls.',
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'gaussians', classes: 2, n: 400, noise: 0.4 }, hidden: [], loss: 'bce', l2: 0.001 },
    runs: [{ algorithm: 'mm-bohning' }, { algorithm: 'sgd', hyper: { lr: 1 } }],
    steps: 100,
  },
  {
    slug: 'lr-above-1-over-L',
    title: 'lr above 1/L breaks the quadratic bound',
    blurb: 'Least squares on a sine (L ≈ 6): with lr = 0.3 > 1/L the implied model f(θₖ) + ∇f·Δ + ‖Δ‖²/(2·lr) dips below f — red in the surrogate view — yet f still falls; at lr = 0.34 > 2/L it rises every step. The Lipschitz MM step never does.',
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'sine', n: 200, noise: 0.1 }, hidden: [], loss: 'mse' },
    runs: [{ algorithm: 'sgd', hyper: { lr: 0.3 } }, { algorithm: 'sgd', hyper: { lr: 0.34 } }, { algorithm: 'mm-lipschitz' }],
    steps: 150,
    view: { surr: 'line', log: true },
  },
];

function build(spec: PresetSpec): Preset {
  const missing = spec.runs.map((r) => r.algorithm).filter((a) => !ALGORITHMS[a]);
  const runs = spec.runs.filter((r) => ALGORITHMS[r.algorithm]);
  if (runs.length < 2) return { ...spec, ok: false, reason: `needs ${missing.join(', ')} (not in this build yet)` };
  const r = parseExperiment({ version: CONFIG_VERSION, problem: spec.problem, runs, steps: spec.steps });
  if (!r.ok) return { ...spec, ok: false, reason: r.errors[0] };
  return { ...spec, ok: true, config: r.config, href: encodeShare(r.config, { ...DEFAULT_VIEW, ...spec.view }) };
}

let cached: Preset[] | null = null;
export function presets(): Preset[] {
  cached ??= PRESET_SPECS.map(build);
  return cached;
}

/** The experiment the lab opens with: MM vs Adam on moons when available, else what the registry has. */
export function defaultExperiment(): ExperimentConfig {
  const first = presets()[0];
  if (first.ok) return first.config;
  const prefer = ['mm-lipschitz', 'mm-layerwise', 'mm-gauss-newton', 'adam', 'sgd'].filter((a) => ALGORITHMS[a]?.problems.includes('mlp'));
  const ids = prefer.length ? prefer.slice(0, 2) : Object.keys(ALGORITHMS).filter((a) => ALGORITHMS[a].problems.includes('mlp')).slice(0, 2);
  const runs = ids.map((algorithm) => ({ algorithm, ...(algorithm === 'adam' ? { hyper: { lr: 0.01 } } : {}) }));
  const r = parseExperiment({ version: CONFIG_VERSION, problem: first.problem, runs, steps: 300 });
  if (r.ok) return r.config;
  const fallback = parseExperiment({ version: CONFIG_VERSION, problem: { kind: 'mlp' }, runs: [{ algorithm: Object.keys(ALGORITHMS)[0] }] });
  if (!fallback.ok) throw new Error(`no default experiment: ${fallback.errors.join('; ')}`);
  return fallback.config;
}
