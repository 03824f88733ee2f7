/**
 * The CNN against PyTorch (tests/fixtures/cnn-torch.json, made by tools/cnn_fixture.py: torch's
 * conv2d, max_pool2d and CrossEntropyLoss on our θ₀ and digits rows): the loss and its gradient, and
 * three torch.optim.Adam steps, on both engines (the cpu engine with either kernels), at float32 tolerance.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getAlgorithm } from '../src/core/algorithms/registry';
import { loadExperiment, parseHyper, type ExperimentConfig } from '../src/core/config';
import type { EngineProblem } from '../src/core/engine/problem';
import { CpuCNNProblem } from '../src/core/engines/cpu/cnn-problem';
import { TfjsProblem } from '../src/core/engines/tfjs/problem';
import { loadImageDataNode } from '../src/cli/data-files';
import { relErr } from './rel-err';

const fx = JSON.parse(readFileSync('tests/fixtures/cnn-torch.json', 'utf8')) as {
  config: unknown;
  rows: number;
  theta0: number[];
  loss: number;
  grad: number[];
  adam: { hyper: Record<string, unknown>; theta: number[][]; loss: number[] };
};

let config: ExperimentConfig;
beforeAll(async () => {
  config = loadExperiment(fx.config);
  await loadImageDataNode(config.problem);
});

describe('CNN vs PyTorch (digits rows, 2 conv blocks, ReLU, max-pool, softmax CE)', () => {
  for (const engine of ['cpu (JS float64 products)', 'cpu (WebAssembly SIMD)', 'tfjs'] as const)
    it(`${engine} engine: θ₀, f, ∇f and three Adam steps`, () => {
      const problem: EngineProblem =
        engine === 'tfjs' ? TfjsProblem.build(config) : CpuCNNProblem.build(config, engine.includes('SIMD') ? 'wasm-simd' : 'js');
      try {
        const { ops } = problem;
        const theta0 = problem.theta0();
        expect(Array.from(ops.toArray(theta0))).toEqual(fx.theta0.map(Math.fround));
        const { f, release } = problem.batch(Int32Array.from({ length: fx.rows }, (_, i) => i));
        const { value, grad } = f.valueAndGrad(theta0);
        expect(Math.abs(value - fx.loss) / fx.loss).toBeLessThan(1e-6);
        expect(relErr(ops.toArray(grad), fx.grad)).toBeLessThan(1e-5);

        const alg = getAlgorithm('adam');
        const h = parseHyper('adam', fx.adam.hyper, 'mlp');
        if (!h.ok) throw new Error(h.errors.join());
        const c = { ops, f };
        let theta = theta0;
        let state = alg.init(c, theta, h.hyper);
        fx.adam.theta.forEach((want, k) => {
          ({ theta, state } = alg.step(c, theta, state, h.hyper));
          expect(relErr(ops.toArray(theta), want), `step ${k + 1}`).toBeLessThan(1e-5);
          expect(Math.abs(f.value(theta) - fx.adam.loss[k]) / fx.adam.loss[k]).toBeLessThan(1e-5);
        });
        release();
      } finally {
        problem.dispose();
      }
    });
});
