/**
 * MM versus gradient on identical initialisations: iterations and wall time for each algorithm to
 * reach a fixed objective value (the issue's table). Adam's lr is tuned on a small grid first. Where the
 * fused engine runs the algorithm (gradient optimizers, mm-lipschitz, mm-layerwise on MLPs; nmf-mm, nmf-mu) the same
 * run is timed there too.
 */
import { loadExperiment, type ExperimentInput } from '../src/core/config';
import { runExperiment, type RunResult } from '../src/core/experiment';
import { canFuse, canFuseNMF, runFusedExperiment, runFusedNMFExperiment } from '../src/core/fused';
import { ALGORITHMS } from '../src/core/algorithms/registry';
import { printTable } from './table';

interface Case {
  name: string;
  problem: ExperimentInput['problem'];
  /** Target objective value. */
  target: number;
  mm: string[];
  maxSteps: number;
  gradient: string;
}

const CASES: Case[] = [
  { name: 'moons MLP 2-8-8-1', problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 256 }, hidden: [8, 8] }, target: 0.05, mm: ['mm-lipschitz', 'mm-layerwise', 'mm-gauss-newton'], maxSteps: 3000, gradient: 'adam' },
  { name: 'spiral MLP 2-16-16-1', problem: { kind: 'mlp', data: { kind: 'dataset', name: 'spiral', n: 256, classes: 2, noise: 0.05 }, hidden: [16, 16] }, target: 0.2, mm: ['mm-lipschitz', 'mm-layerwise', 'mm-gauss-newton'], maxSteps: 3000, gradient: 'adam' },
  { name: 'logistic regression (gaussians, ridge 1e-3)', problem: { kind: 'mlp', data: { kind: 'dataset', name: 'gaussians', n: 512, classes: 2 }, hidden: [], l2: 1e-3 }, target: 0, mm: ['mm-bohning', 'mm-lipschitz', 'mm-gauss-newton'], maxSteps: 2000, gradient: 'adam' },
  { name: 'IS-NMF (β=0) spectrogram, K=8', problem: { kind: 'nmf', beta: 0, rank: 8, data: { kind: 'spectrogram' } }, target: 0, mm: ['nmf-mm'], maxSteps: 1000, gradient: 'nmf-mu' },
];

const LR_GRID = [0.003, 0.01, 0.03, 0.1];

function reach(losses: number[], target: number): number | null {
  const i = losses.findIndex((f) => f <= target);
  return i < 0 ? null : i;
}

export async function mmVersusGradient(quick: boolean): Promise<void> {
  const rows: string[][] = [];
  for (const c of CASES) {
    const maxSteps = quick ? Math.min(300, c.maxSteps) : c.maxSteps;
    const configOf = (algorithm: string, hyper: Record<string, unknown>) => loadExperiment({ version: 1, problem: c.problem, runs: [{ algorithm, hyper }], steps: maxSteps });
    const run = (algorithm: string, hyper: Record<string, unknown>) => {
      if (!ALGORITHMS[algorithm]) return null;
      return runExperiment(configOf(algorithm, hyper), { recordTest: false }).runs[0];
    };
    const fused = (algorithm: string, hyper: Record<string, unknown>): RunResult | null => {
      const cfg = configOf(algorithm, hyper);
      if (canFuseNMF(cfg)) return runFusedNMFExperiment(cfg).runs[0]; // one thread: small problems stay on one
      return canFuse(cfg) ? runFusedExperiment(cfg, { recordTest: false }).runs[0] : null;
    };
    // Tune Adam's lr: the grid value with the lowest final objective.
    const grads = c.gradient === 'adam' ? LR_GRID.map((lr) => ({ lr, r: run('adam', { lr }) })) : [{ lr: NaN, r: run(c.gradient, {}) }];
    const best = grads.filter((g) => g.r).sort((a, b) => (a.r!.losses.at(-1) ?? Infinity) - (b.r!.losses.at(-1) ?? Infinity))[0];
    const gradHyper = c.gradient === 'adam' ? { lr: best.lr } : {};
    const results = [{ label: c.gradient === 'adam' ? `adam (lr ${best.lr})` : c.gradient, r: best.r!, fr: fused(c.gradient, gradHyper) }];
    for (const alg of c.mm) {
      const r = run(alg, {});
      if (r) results.push({ label: alg, r, fr: fused(alg, {}) });
    }
    // Target: the given value, or (when 0) 1% above the best objective any algorithm reached.
    const fBest = Math.min(...results.map((x) => Math.min(...x.r.losses.filter(Number.isFinite))));
    const target = c.target > 0 ? c.target : fBest + 0.01 * Math.abs(fBest) + 1e-6;
    const timeTo = (r: RunResult): string => {
      const k = reach(r.losses, target);
      return k === null ? '—' : `${((k * r.wallMs) / Math.max(1, r.steps)).toFixed(k * r.wallMs < 10 * r.steps ? 1 : 0)} ms`;
    };
    for (const { label, r, fr } of results) {
      const k = reach(r.losses, target);
      const kf = fr ? reach(fr.losses, target) : null;
      const fusedCell = fr ? `${kf === null ? `> ${maxSteps}` : kf} it, ${timeTo(fr)}` : 'n/a (tfjs only)';
      rows.push([c.name, target.toPrecision(4), label, k === null ? `> ${maxSteps}` : String(k), timeTo(r), fusedCell, r.losses.at(-1)!.toPrecision(5)]);
    }
  }
  printTable(
    'MM vs gradient on identical inits: iterations and wall time to reach the target objective (tfjs cpu; and on the fused engine where it runs the algorithm)',
    ['problem', 'target f', 'algorithm', 'iterations', 'wall time (tfjs cpu)', 'fused engine', 'final f'],
    rows,
  );
}
