/**
 * Accuracy on the engine interface: the counting rule, Adam on digits (> 90% test accuracy in a few
 * seconds), both engines agreeing on f and accuracy for an image MLP, and the fold's result fields
 * (accuracy series thinned like the losses, epochs).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExperiment, type ExperimentInput } from '../src/core/config';
import { runExperiment } from '../src/core/experiment';
import { runFusedExperiment } from '../src/core/fused';
import { CpuMLPProblem } from '../src/core/engines/cpu/mlp-problem';
import { TfjsProblem } from '../src/core/engines/tfjs/problem';
import { countCorrect } from '../src/core/problems/mlp-accuracy';
import { loadImageSetNode } from '../src/cli/data-files';

beforeAll(async () => {
  await loadImageSetNode('digits');
  await loadImageSetNode('mnist');
});

const image = (name: string, n: number, hidden: number[], runs: ExperimentInput['runs'], steps: number, batchSize: number | null = 64): ExperimentInput => ({
  version: 1,
  problem: { kind: 'mlp', data: { kind: 'dataset', name: name as 'digits', n, testRatio: 0.2 }, hidden, activation: 'relu', loss: 'softmax_ce', batchSize },
  runs,
  steps,
  // f and accuracy at every step here (these tests count accuracy points; eval-every.test.ts covers "auto").
  evalEvery: 1,
});

describe('counting correct predictions', () => {
  it('softmax: argmax, the first class on ties; bce: logit > 0; rows pick the labels', () => {
    const z = [0.1, 0.9, 0.0, /**/ 2, 2, 1, /**/ -1, -2, -0.5];
    expect(countCorrect(z, 3, 3, [1, 0, 2], 'softmax_ce')).toBe(3);
    expect(countCorrect(z, 3, 3, [1, 1, 0], 'softmax_ce')).toBe(1);
    expect(countCorrect(z, 2, 3, [9, 1, 0], 'softmax_ce', [1, 2])).toBe(2); // rows 0, 1 of z against y[1], y[2]
    expect(countCorrect([0.3, -0.1, 0], 3, 1, [1, 0, 1], 'bce')).toBe(2);
    expect(() => countCorrect([0], 1, 1, [0], 'mse')).toThrow(/regression/);
  });
});

describe('accuracy in the fold', () => {
  it('Adam reaches > 90% test accuracy on digits (64-32-10, 5 epochs) within a few seconds', () => {
    const t0 = performance.now();
    const r = runFusedExperiment(loadExperiment(image('digits', 1797, [32], [{ algorithm: 'adam', hyper: { lr: 0.01 } }], 115)));
    const ms = performance.now() - t0;
    const run = r.runs[0];
    expect(r.stepsPerEpoch).toBe(23); // ceil(1438 / 64)
    expect(r.epochs).toBe(5);
    expect(run.testAccuracy).toBeGreaterThan(0.9);
    expect(run.trainAccuracy).toBeGreaterThan(0.9);
    expect(run.testAccuracies![0]).toBeLessThan(0.3); // chance level at θ₀
    expect(run.accuracySteps).toEqual([...Array.from({ length: 58 }, (_, k) => 2 * k), 115]);
    expect(run.testAccuracies!.length).toBe(run.accuracySteps!.length);
    expect(ms).toBeLessThan(8000);
  });

  it('regression and NMF results carry no accuracy; full batch is one step per epoch', () => {
    const r = runFusedExperiment(loadExperiment({ version: 1, problem: { kind: 'mlp', data: { kind: 'dataset', name: 'sine', n: 64 }, loss: 'mse' }, runs: [{ algorithm: 'adam' }], steps: 3 }));
    expect(r.runs[0].testAccuracy).toBeUndefined();
    expect(r.runs[0].accuracySteps).toBeUndefined();
    expect([r.stepsPerEpoch, r.epochs]).toEqual([1, 3]);
  });

  it('both engines agree on f and accuracy for an image MLP (mnist 784-16-10, mini-batches)', () => {
    const config = loadExperiment(image('mnist', 400, [16], [{ algorithm: 'adam', hyper: { lr: 0.01 } }, { algorithm: 'sgd', hyper: { lr: 0.5 } }], 12, 32));
    const cpu = runFusedExperiment(config, { accuracyEvery: 4 });
    const tfjs = runExperiment(config, { accuracyEvery: 4 });
    for (let i = 0; i < 2; i++) {
      const [a, b] = [cpu.runs[i], tfjs.runs[i]];
      expect(a.accuracySteps).toEqual([0, 4, 8, 12]);
      expect(b.accuracySteps).toEqual(a.accuracySteps);
      a.losses.forEach((f, t) => expect(Math.abs(f - b.losses[t])).toBeLessThan(2e-5 * Math.max(1, f)));
      // One example near a tie may go either way under float32 summation order.
      a.trainAccuracies!.forEach((v, k) => expect(Math.abs(v - b.trainAccuracies![k])).toBeLessThanOrEqual(1 / 320 + 1e-7));
      a.testAccuracies!.forEach((v, k) => expect(Math.abs(v - b.testAccuracies![k])).toBeLessThanOrEqual(1 / 80 + 1e-7));
      expect(a.testAccuracy).toBeGreaterThan(a.testAccuracies![0] + 0.2);
    }
  });

  it('measuring accuracy between runs on a shared mini-batch leaves every run’s trajectory unchanged', () => {
    const runs = [{ algorithm: 'adam', hyper: { lr: 0.01 } }, { algorithm: 'mm-bohning', hyper: { damping: 0.01 } }, { algorithm: 'mm-lipschitz' }];
    const config = loadExperiment(image('digits', 500, [16], runs, 20, 50));
    const every = runFusedExperiment(config, { accuracyEvery: 1 });
    const rarely = runFusedExperiment(config, { accuracyEvery: 1000 });
    for (let i = 0; i < runs.length; i++) {
      expect(every.runs[i].losses).toEqual(rarely.runs[i].losses);
      expect(every.runs[i].testLosses).toEqual(rarely.runs[i].testLosses);
      expect(every.runs[i].accuracySteps).toHaveLength(21);
      expect(rarely.runs[i].accuracySteps).toEqual([0, 20]);
      expect(every.runs[i].testAccuracy).toBe(rarely.runs[i].testAccuracy);
    }
  });

  it('EngineProblem.accuracy on both engines at θ₀ and without test data', () => {
    const config = loadExperiment(image('digits', 200, [8], [{ algorithm: 'adam' }], 0));
    const cpu = CpuMLPProblem.build(config);
    const tfjs = TfjsProblem.build(config);
    for (const which of ['train', 'test'] as const) {
      const a = cpu.accuracy(cpu.theta0(), which);
      const b = tfjs.accuracy(tfjs.theta0(), which);
      expect(a).toBeGreaterThanOrEqual(0);
      expect(Math.abs(a - b)).toBeLessThan(1e-6);
    }
    tfjs.dispose();
    const noTest = loadExperiment({ ...image('digits', 200, [8], [{ algorithm: 'adam' }], 0), problem: { ...image('digits', 200, [8], [], 0).problem, data: { kind: 'dataset', name: 'digits', n: 200, testRatio: 0 } } } as ExperimentInput);
    expect(CpuMLPProblem.build(noTest).accuracy(CpuMLPProblem.build(noTest).theta0(), 'test')).toBeNaN();
  });
});
