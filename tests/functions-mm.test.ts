/**
 * MM on the 2-D test functions, property-tested over start points (fast-check): at every step
 * g(θₖ|θₖ) = f(θₖ) and f(θₖ₊₁) ≤ g(θₖ₊₁|θₖ) ≤ f(θₖ) (the MM invariant, float32 slack), so f never rises;
 * a global-bound surrogate majorizes f at every point; and every gradient method runs on every function.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findAlgorithm } from '../src/core/algorithms/registry';
import { fSlack } from '../src/core/algorithms/lipschitz';
import { loadExperiment } from '../src/core/config';
import type { AlgorithmState } from '../src/core/engine/algorithm';
import { CpuFunctionProblem } from '../src/core/engines/cpu/function-problem';
import { runFusedExperiment } from '../src/core/fused';
import { FUNCTION_NAMES, testFunction, type FunctionName } from '../src/core/problems/functions';
import { functionRunError } from '../src/core/problems/functions-config';

const MM = [
  { algorithm: 'mm-lipschitz', hyper: {} },
  { algorithm: 'mm-curvature', hyper: { curvature: 'hessian' } },
  { algorithm: 'mm-curvature', hyper: { curvature: 'gauss-newton' } },
  { algorithm: 'mm-curvature', hyper: { curvature: 'bound' } },
];

const problem = (name: FunctionName, start: [number, number]) => ({ kind: 'function' as const, name, start, ...(name === 'quadratic' ? { kappa: 50, angle: 20 } : {}) });

function applies(name: FunctionName, run: { algorithm: string; hyper: Record<string, unknown> }): boolean {
  return functionRunError(run.algorithm, run.hyper, testFunction(problem(name, [0, 0]))) === null;
}

const startIn = (name: FunctionName) => {
  const { x, y } = testFunction({ name }).box;
  return fc.tuple(fc.double({ min: x[0], max: x[1], noNaN: true }), fc.double({ min: y[0], max: y[1], noNaN: true })).map(([a, b]) => [Math.fround(a), Math.fround(b)] as [number, number]);
};

describe('MM on the test functions', () => {
  for (const name of FUNCTION_NAMES) {
    for (const run of MM.filter((r) => applies(name, r))) {
      const label = `${run.algorithm}${run.hyper.curvature ? ` (${run.hyper.curvature})` : ''}`;
      it(`${name}, ${label}: g(θₖ) = f(θₖ), f(θₖ₊₁) ≤ g(θₖ₊₁) ≤ f(θₖ) over start points`, () => {
        const alg = findAlgorithm(run.algorithm)!;
        const h = alg.hyper.parse(run.hyper) as Record<string, unknown>;
        fc.assert(
          fc.property(startIn(name), (start) => {
            const p = new CpuFunctionProblem(loadExperiment({ version: 1, problem: problem(name, start), runs: [run] }).problem as never);
            const c = { ops: p.ops, f: p.full };
            let theta = p.theta0();
            let state = alg.init(c, theta, h) as AlgorithmState;
            for (let k = 0; k < 6; k++) {
              const f0 = p.full.value(theta);
              const g = alg.model(c, theta, state, h);
              expect(Math.abs(g.value(theta) - f0)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(f0)));
              const out = alg.step(c, theta, state, h);
              const f1 = p.full.value(out.theta);
              const g1 = g.value(out.theta);
              const slack = fSlack(f0) + 1e-9 * Math.abs(f0);
              expect(f1).toBeLessThanOrEqual(g1 + slack);
              expect(g1).toBeLessThanOrEqual(f0 + slack);
              if (g.scope === 'global' && g.certified) {
                // A global majorizer: g ≥ f on a ring of points around θₖ, far and near.
                const [x, y] = p.ops.toArray(theta);
                for (let j = 0; j < 16; j++) {
                  const r = 0.01 * 4 ** (j % 5);
                  const q = p.ops.fromArray(theta, [x + r * Math.cos(j), y + r * Math.sin(j)]);
                  expect(g.value(q)).toBeGreaterThanOrEqual(p.full.value(q) - 1e-9 * Math.max(1, Math.abs(p.full.value(q))));
                }
              }
              g.dispose();
              theta = out.theta;
              state = out.state;
            }
          }),
          { numRuns: 40 },
        );
      });
    }
  }

  it('every algorithm that applies to functions runs on each of them, and the MM ones never raise f', () => {
    const gradient = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'inna'];
    for (const name of FUNCTION_NAMES) {
      const fold = (runs: { algorithm: string; hyper: object }[]) =>
        runFusedExperiment(loadExperiment({ version: 1, problem: { kind: 'function', name }, steps: 30, runs }), { recordTest: false }).runs;
      for (const x of fold(gradient.map((algorithm) => ({ algorithm, hyper: { lr: 1e-4 } })))) {
        expect(x.status, `${name} ${x.algorithm}`).toBe('done');
        expect(x.losses).toHaveLength(31);
      }
      for (const x of fold(MM.filter((r) => applies(name, r)))) {
        expect(x.status, `${name} ${x.algorithm}`).toBe('done');
        x.losses.slice(1).forEach((v, k) => expect(v).toBeLessThanOrEqual(x.losses[k] + fSlack(x.losses[k])));
      }
    }
  });
});
