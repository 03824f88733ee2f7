/**
 * Gauss–Newton MM and Böhning MM on a digits CNN (issue 12: "Gauss–Newton MM with CG on mini-batches;
 * Böhning on the last layer of image nets"), on both engines: the MM invariant on the step's mini-batch —
 * g(θₖ|θₖ) = f(θₖ), f(θₖ₊₁) ≤ g(θₖ₊₁|θₖ) (float32 slack), f decreases — for Gauss–Newton on its CG path
 * (P = 310 > maxDirect 300, the default) and its direct path, and for Böhning's global bound on the last
 * dense layer (g ≥ f along the step and beyond it, +∞ when a convolution moves); and the CLI's fold
 * (mini-batches) lowering the loss with both.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadImageDataNode } from '../src/cli/data-files';
import { fSlack } from '../src/core/algorithms/lipschitz';
import { getAlgorithm } from '../src/core/algorithms/registry';
import { loadExperiment, parseHyper, type ExperimentConfig, type ExperimentInput } from '../src/core/config';
import type { EngineProblem } from '../src/core/engine/problem';
import { CpuCNNProblem } from '../src/core/engines/cpu/cnn-problem';
import { TfjsProblem } from '../src/core/engines/tfjs/problem';
import { runFusedExperiment } from '../src/core/fused/fused-experiment';

const tiny = (runs: ExperimentInput['runs'] = [{ algorithm: 'adam' }], steps = 1, batchSize: number | null = 12): ExperimentInput => ({
  version: 1,
  problem: {
    kind: 'mlp',
    data: { kind: 'dataset', name: 'digits', n: 60, testRatio: 0.25 },
    conv: [{ filters: 3, kernel: 3, pool: 2 }],
    hidden: [],
    activation: 'relu',
    loss: 'softmax_ce',
    l2: 0.001,
    batchSize,
  } as ExperimentInput['problem'],
  runs,
  steps,
});

let config: ExperimentConfig;
beforeAll(async () => {
  config = loadExperiment(tiny());
  await loadImageDataNode(config.problem);
});

const build = (engine: 'cpu' | 'tfjs'): EngineProblem => (engine === 'tfjs' ? TfjsProblem.build(config) : CpuCNNProblem.build(config));
const rows = Int32Array.from({ length: 12 }, (_, i) => 3 * i);

function hyperOf(id: string, hyper: Record<string, unknown>) {
  const h = parseHyper(id, hyper, 'mlp');
  if (!h.ok) throw new Error(h.errors.join());
  return h.hyper;
}

describe('Gauss–Newton and Böhning MM on a digits CNN: the MM invariant on a mini-batch', () => {
  // The direct path on the cpu engine only: tfjs builds JᵀJ from P tangent passes (tests/cnn-jacobian.test.ts).
  const gnCases = [
    { engine: 'cpu', name: 'CG (P = 310 > maxDirect)', hyper: { cgIterations: 10 }, direct: false },
    { engine: 'cpu', name: 'direct (Cholesky on JᵀJ)', hyper: { maxDirect: 400 }, direct: true },
    { engine: 'tfjs', name: 'CG (P = 310 > maxDirect)', hyper: { cgIterations: 10 }, direct: false },
  ] as const;
  for (const { engine, ...gn } of gnCases)
    it(`${engine} engine: Gauss–Newton, ${gn.name}: g touches f at θₖ, f(θₖ₊₁) ≤ g(θₖ₊₁|θₖ) and f falls`, () => {
      const problem = build(engine);
      const { ops } = problem;
      const { f, release } = problem.batch(rows);
      const c = { ops, f };
      const alg = getAlgorithm('mm-gauss-newton');
      const h = hyperOf('mm-gauss-newton', gn.hyper);
      try {
        let theta = problem.theta0();
        let state = alg.init(c, theta, h);
        for (let k = 0; k < 2; k++) {
          const f0 = f.value(theta);
          const model = alg.model(c, theta, state, h);
          expect(model.value(theta)).toBeCloseTo(f0, 6);
          const out = alg.step(c, theta, state, h);
          expect(out.info.accepted, `step ${k}`).toBe(true);
          expect(out.info.direct).toBe(gn.direct);
          const f1 = f.value(out.theta);
          expect(f1, `step ${k}`).toBeLessThan(f0);
          // The model is built by the same search: its minimiser is the step, certified there.
          expect(model.certified).toBe(true);
          expect(f1).toBeLessThanOrEqual(model.value(out.theta) + fSlack(f0));
          model.dispose();
          ({ theta, state } = out);
        }
      } finally {
        release();
        problem.dispose();
      }
    });

  for (const engine of ['cpu', 'tfjs'] as const)
    it(`${engine} engine: Böhning on the last dense layer: a global bound (g ≥ f along and past the step, +∞ off the layer), f falls`, () => {
      const problem = build(engine);
      const { ops } = problem;
      const { f, release } = problem.batch(rows);
      const c = { ops, f };
      const alg = getAlgorithm('mm-bohning');
      const h = hyperOf('mm-bohning', {});
      try {
        let theta = problem.theta0();
        let state = alg.init(c, theta, h);
        for (let k = 0; k < 2; k++) {
          const f0 = f.value(theta);
          const model = alg.model(c, theta, state, h);
          expect(model.certified).toBe(true);
          expect(model.value(theta)).toBeCloseTo(f0, 6);
          for (const t of [0.25, 0.5, 1, 1.5, 2, 3]) {
            const p = model.path!(t);
            expect(f.value(p), `step ${k}, t = ${t}`).toBeLessThanOrEqual(model.value(p) + fSlack(f0));
            ops.dispose(p);
          }
          // Moving the convolution's block leaves the bound's domain.
          const moved = f.withBlock(theta, 0, ops.addScalar(f.block(theta, 0), 0.01));
          expect(model.value(moved)).toBe(Infinity);
          const out = alg.step(c, theta, state, h);
          expect(out.info.accepted).toBe(true);
          expect(out.info.refactored).toBe(false); // the features (the convolution) did not move
          expect(f.value(out.theta), `step ${k}`).toBeLessThan(f0);
          model.dispose();
          ({ theta, state } = out);
        }
      } finally {
        release();
        problem.dispose();
      }
    });
});

describe('the CLI fold trains a digits CNN with them', () => {
  it('Gauss–Newton (CG) and Böhning lower the loss over mini-batches (cpu engine)', () => {
    const result = runFusedExperiment(
      loadExperiment(
        tiny(
          [
            { id: 'gn', algorithm: 'mm-gauss-newton', hyper: { cgIterations: 10 } },
            { id: 'bohning', algorithm: 'mm-bohning' },
          ],
          6,
        ),
      ),
    );
    for (const run of result.runs) {
      expect(run.status, run.id).toBe('done');
      expect(run.losses.at(-1)!, run.id).toBeLessThan(run.losses[0] - 0.05);
    }
  });
});
