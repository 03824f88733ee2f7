/**
 * Presets on the 2-D test functions (problem kind 'function', core/problems/functions.ts), seen whole in
 * the contour view, and the hyper-parameter sweeps (the sweep panel reads a preset's `sweep` block).
 * Added to the gallery by presets.ts; every claim is checked headless by tests/presets.test.ts.
 * Also the function kind's default problem and runs (draft.ts).
 */
import type { PresetClaim } from './presetClaims';

/** The problem the page starts from when the model is switched to '2-D test function'. */
export const FUNCTION_DEFAULT_PROBLEM = { kind: 'function', name: 'quadratic', kappa: 10, angle: 30, start: [-2.5, 2] };

/** GD at a step just inside 2/L = 0.2, Lipschitz MM, and the global-bound MM (one Newton step on a quadratic). */
export const FUNCTION_DEFAULT_RUNS = [{ algorithm: 'sgd', hyper: { lr: 0.15 } }, { algorithm: 'mm-lipschitz' }, { algorithm: 'mm-curvature', hyper: { curvature: 'bound' } }];

/** Same fields as presets.ts's PresetSpec (kept structural here: presets.ts imports this file). */
export const FUNCTION_PRESETS: {
  slug: string;
  title: string;
  intro: string;
  problem: Record<string, unknown>;
  runs: { algorithm: string; hyper?: Record<string, unknown>; id?: string }[];
  steps: number;
  claims: PresetClaim[];
  sweep?: { run: number; hyper: string; values: number[] };
  /** The run the contour and surrogate views inspect first. */
  view?: { sel: number };
}[] = [
  {
    slug: 'gd-above-2-over-L',
    title: 'GD with lr just above 2/L oscillates, MM does not',
    intro:
      'The quadratic ½(u₁² + κu₂²) with κ = 10, rotated by 30°, so L = 10 and 2/L = 0.2. Gradient descent with lr = 0.21 multiplies the error along the steep axis by 1 − lr·L = −1.1 each step; the Lipschitz MM step minimises a quadratic bowl g(·|θₖ) ≥ f whose curvature it backtracks, and the bound MM uses the exact Hessian bound A, so its bowl is f itself. Open the contour view and step through one MM iteration.',
    problem: { kind: 'function', name: 'quadratic', kappa: 10, angle: 30, start: [-2.5, 2] },
    runs: [{ algorithm: 'sgd', hyper: { lr: 0.21 } }, { algorithm: 'mm-lipschitz' }, { algorithm: 'mm-curvature', hyper: { curvature: 'bound' } }],
    steps: 60,
    view: { sel: 1 },
    claims: [
      { kind: 'rises', run: 0 },
      { kind: 'diverges', run: 0, factor: 1000 },
      { kind: 'monotone', run: 1 },
      { kind: 'monotone', run: 2 },
      { kind: 'below', run: 1, other: 0, at: 5 },
    ],
  },
  {
    slug: 'rosenbrock-adam-mm-gauss-newton',
    title: 'Rosenbrock: Adam vs Lipschitz MM vs Gauss–Newton',
    intro:
      'Rosenbrock’s banana (1 − x)² + 100(y − x²)² from (−1.5, 2). Adam (lr = 0.05) against the Lipschitz-quadratic MM step and the Gauss–Newton MM step: Rosenbrock is a sum of two squares r = (1 − x, 10(y − x²)), so its Gauss–Newton curvature 2JᵀJ is exact along the valley’s floor; the damping λ grows until the step’s quadratic lies above f at the new point.',
    problem: { kind: 'function', name: 'rosenbrock', start: [-1.5, 2] },
    runs: [{ algorithm: 'adam', hyper: { lr: 0.05 } }, { algorithm: 'mm-lipschitz' }, { algorithm: 'mm-curvature', hyper: { curvature: 'gauss-newton' } }],
    steps: 300,
    view: { sel: 2 },
    claims: [
      { kind: 'rises', run: 0 },
      { kind: 'monotone', run: 1 },
      { kind: 'monotone', run: 2 },
      { kind: 'below', run: 2, other: 0, at: 50 },
      { kind: 'below', run: 2, other: 1, at: 50 },
    ],
  },
  {
    slug: 'kappa-100-momentum-vs-mm',
    title: 'κ = 100: momentum vs MM',
    intro:
      'An ill-conditioned quadratic (κ = 100, L = 100, rotated by 30°). Plain gradient descent and heavy-ball momentum (μ = 0.9) at lr = 0.01 = 1/L, against the Lipschitz MM step (the same 1/L step when its backtracked L reaches κ) and the bound MM, whose bowl is the quadratic itself.',
    problem: { kind: 'function', name: 'quadratic', kappa: 100, angle: 30, start: [-2.5, 2] },
    runs: [{ algorithm: 'sgd', hyper: { lr: 0.01 } }, { algorithm: 'sgd', hyper: { lr: 0.01, momentum: 0.9 } }, { algorithm: 'mm-lipschitz' }, { algorithm: 'mm-curvature', hyper: { curvature: 'bound' } }],
    steps: 200,
    claims: [
      { kind: 'rises', run: 1 },
      { kind: 'below', run: 1, other: 0, at: 200 },
      { kind: 'monotone', run: 2 },
      { kind: 'monotone', run: 3 },
      { kind: 'below', run: 3, other: 1, at: 5 },
    ],
  },
  {
    slug: 'sweep-adam-lr-moons',
    title: 'Sweep: Adam’s lr from 1e-4 to 1 vs MM on moons',
    intro:
      'A 2-8-8-1 tanh network on two moons. The sweep panel runs Adam at 13 learning rates from 1e-4 to 1 (log-spaced) from the same θ₀ and draws the final loss against lr; the Lipschitz and Gauss–Newton MM runs, which have no step size, are drawn as horizontal lines.',
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 256, noise: 0.15 }, hidden: [8, 8], activation: 'tanh', loss: 'bce' },
    runs: [{ algorithm: 'adam', hyper: { lr: 0.01 } }, { algorithm: 'mm-lipschitz' }, { algorithm: 'mm-gauss-newton' }],
    steps: 150,
    sweep: { run: 0, hyper: 'lr', values: logGrid(1e-4, 1, 13) },
    claims: [
      { kind: 'monotone', run: 1 },
      { kind: 'monotone', run: 2 },
      { kind: 'below', run: 2, other: 0, at: 150 },
    ],
  },
  {
    slug: 'sweep-sgd-lr-logistic-bohning',
    title: 'Sweep: SGD lr grid vs Böhning MM on logistic regression',
    intro:
      'Logistic regression (no hidden layer) on two Gaussian blobs. The sweep panel runs SGD at 11 learning rates from 1e-3 to 100 (log-spaced); Böhning’s MM uses the fixed curvature bound ¼XᵀX/n of the logistic loss, so it needs no step size: its final loss is a horizontal line.',
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'gaussians', n: 256, noise: 0.3, classes: 2 }, hidden: [], loss: 'bce' },
    runs: [{ algorithm: 'sgd', hyper: { lr: 0.1 } }, { algorithm: 'mm-bohning' }],
    steps: 100,
    sweep: { run: 0, hyper: 'lr', values: logGrid(1e-3, 100, 11) },
    claims: [
      { kind: 'monotone', run: 1 },
      { kind: 'below', run: 1, other: 0, at: 100 },
    ],
  },
];

/** n values from lo to hi, evenly spaced in log10, rounded to 3 significant digits. */
export function logGrid(lo: number, hi: number, n: number): number[] {
  if (n === 1) return [lo];
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  return Array.from({ length: n }, (_, i) => Number((10 ** (a + ((b - a) * i) / (n - 1))).toPrecision(3)));
}
