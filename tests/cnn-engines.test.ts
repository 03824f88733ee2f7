/**
 * The CNN on both engines: the cpu engine (im2col + JS GEMM, float64 sums) and tfjs (conv2d, maxPool,
 * autodiff; float32) give the same θ₀, f, ∇f and accuracy on digits, on the full set and on a
 * mini-batch; blocks are the layers on both; every algorithm that applies to a CNN decreases f on a
 * digits CNN in a few steps on the cpu engine, and the MM ones never increase it.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALGORITHMS } from '../src/core/algorithms/registry';
import { loadExperiment, type ExperimentInput } from '../src/core/config';
import type { ObjectiveOps } from '../src/core/engine/types';
import { CpuCNNProblem } from '../src/core/engines/cpu/cnn-problem';
import { TfjsProblem } from '../src/core/engines/tfjs/problem';
import { FusedExperiment, runFusedExperiment } from '../src/core/fused';
import { CNN_REFUSED } from '../src/core/problems/cnn-config';
import { loadImageDataNode } from '../src/cli/data-files';
import { relErr } from './rel-err';

const input = (over: Partial<ExperimentInput['problem']> = {}, runs: ExperimentInput['runs'] = [{ algorithm: 'adam' }], steps = 5): ExperimentInput => ({
  version: 1,
  problem: {
    kind: 'mlp',
    data: { kind: 'dataset', name: 'digits', n: 64, testRatio: 0.25 },
    conv: [{ filters: 4, kernel: 3, pool: 1 }, { filters: 5, kernel: 2, pool: 2 }],
    hidden: [12],
    activation: 'relu',
    loss: 'softmax_ce',
    batchSize: 16,
    ...over,
  } as ExperimentInput['problem'],
  runs,
  steps,
});

beforeAll(async () => {
  await loadImageDataNode(loadExperiment(input()).problem);
});

describe('cpu engine vs tfjs engine', () => {
  for (const activation of ['relu', 'sigmoid'] as const)
    it(`same θ₀, f, ∇f, block gradients and accuracy (${activation}, l2 0.01)`, () => {
      const config = loadExperiment(input({ activation, l2: 0.01 }));
      const cpu = CpuCNNProblem.build(config);
      const tfp = TfjsProblem.build(config);
      try {
        expect(tfp.layout).toEqual(cpu.layout);
        const th0 = cpu.theta0();
        expect(Array.from(tfp.ops.toArray(tfp.theta0()))).toEqual(Array.from(cpu.ops.toArray(th0)));
        // A θ away from θ₀ (biases nonzero, some ReLUs switched) from a few Adam steps on the cpu engine.
        const fx = new FusedExperiment(loadExperiment(input({ activation, l2: 0.01 }, [{ algorithm: 'adam', hyper: { lr: 0.02 } }])));
        for (let t = 0; t < 6; t++) fx.step();
        const theta = cpu.ops.toArray(fx.runs[0].theta);
        expect(relErr(theta, cpu.ops.toArray(th0))).toBeGreaterThan(0.01);
        const tc = cpu.ops.fromArray(th0, theta);
        const tt = tfp.ops.fromArray(tfp.theta0(), theta);
        const rows = Int32Array.from([5, 17, 2, 30, 33, 8, 41, 40]);
        const pairs: [ObjectiveOps, ObjectiveOps][] = [
          [cpu.full, tfp.full],
          [cpu.batch(rows).f, tfp.batch(rows).f],
        ];
        for (const [fc, ft] of pairs) {
          const a = fc.valueAndGrad(tc);
          const b = ft.valueAndGrad(tt);
          expect(Math.abs(a.value - b.value) / b.value).toBeLessThan(2e-6);
          expect(relErr(cpu.ops.toArray(a.grad), tfp.ops.toArray(b.grad))).toBeLessThan(5e-5);
          expect(fc.blocks).toBe(4);
          expect(ft.blocks).toBe(4);
          for (let bl = 0; bl < 4; bl++)
            expect(relErr(cpu.ops.toArray(fc.blockValueAndGrad(tc, bl).grad), tfp.ops.toArray(ft.blockValueAndGrad(tt, bl).grad))).toBeLessThan(5e-5);
          expect(fc.mlp).toBeUndefined();
          expect(ft.mlp).toBeUndefined();
        }
        for (const which of ['train', 'test'] as const) expect(cpu.accuracy(tc, which)).toBeCloseTo(tfp.accuracy(tt, which), 6);
        const lc = cpu.losses(tc, true, false);
        const lt = tfp.losses(tt, true);
        expect(Math.abs(lc.test - lt.test) / lt.test).toBeLessThan(2e-6);
      } finally {
        tfp.dispose();
      }
    });
});

describe('the cpu engine’s two kernels', () => {
  it('the WebAssembly SIMD products (float32) agree with the JS float64 ones: f, ∇f, logits', () => {
    const config = loadExperiment(input({ activation: 'relu', l2: 0.01 }));
    const js = CpuCNNProblem.build(config, 'js');
    const simd = CpuCNNProblem.build(config, 'wasm-simd');
    expect([js.kernels, simd.kernels]).toEqual(['js', 'wasm-simd']);
    const theta = js.ops.fromArray(js.theta0(), Array.from(js.ops.toArray(js.theta0()), (v, i) => v + 0.02 * Math.sin(i)));
    const a = js.full.valueAndGrad(theta);
    const b = simd.full.valueAndGrad(theta);
    expect(Math.abs(a.value - b.value) / a.value).toBeLessThan(1e-6);
    expect(relErr(simd.ops.toArray(b.grad), js.ops.toArray(a.grad))).toBeLessThan(1e-5);
    expect(relErr(simd.full.logits(theta), js.full.logits(theta))).toBeLessThan(1e-5);
    // The surrogate view's float64 objective is the JS net on either.
    expect(simd.precise(null).f.value(theta)).toBe(js.precise(null).f.value(theta));
  });
});

describe('algorithms on a digits CNN (cpu engine, full batch)', () => {
  const ids = Object.keys(ALGORITHMS).filter((id) => ALGORITHMS[id].problems.includes('mlp') && !Object.hasOwn(CNN_REFUSED, id));

  it('covers the gradient algorithms, mm-lipschitz and mm-layerwise', () => {
    expect(ids).toEqual(expect.arrayContaining(['sgd', 'adam', 'adamw', 'adagrad', 'rmsprop', 'inna', 'mm-lipschitz', 'mm-layerwise']));
  });

  /** Learning rates that move a fresh net in 8 steps (the defaults of some are torch's tiny ones). */
  const hyper: Record<string, Record<string, unknown>> = { sgd: { lr: 0.5 }, adam: { lr: 0.01 }, adamw: { lr: 0.01 }, adagrad: { lr: 0.05 }, rmsprop: { lr: 0.003 } };

  it('each decreases f; the MM ones monotonically', () => {
    const runs = ids.map((id) => ({ id, algorithm: id, hyper: hyper[id] ?? {} }));
    const results = [];
    for (let i = 0; i < runs.length; i += 8) results.push(...runFusedExperiment(loadExperiment(input({ batchSize: null }, runs.slice(i, i + 8), 8))).runs);
    expect(results).toHaveLength(ids.length);
    for (const run of results) {
      const f = run.losses;
      expect(run.status, run.id).toBe('done');
      expect(f.at(-1)!, run.id).toBeLessThan(f[0]);
      if (ALGORITHMS[run.algorithm].family === 'mm') for (let t = 1; t < f.length; t++) expect(f[t], `${run.id} step ${t}`).toBeLessThanOrEqual(f[t - 1]);
    }
  });
});

describe('tfjs engine trains the same run', () => {
  it('Adam on the tfjs engine follows the cpu engine for a few steps', async () => {
    const config = loadExperiment(input({}, [{ algorithm: 'adam', hyper: { lr: 0.01 } }], 4));
    const { runExperiment } = await import('../src/core/experiment');
    const a = runFusedExperiment(config).runs[0].losses;
    const b = runExperiment(config).runs[0].losses;
    expect(relErr(a, b)).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBeLessThan(200);
  });
});
