/**
 * Long runs (issue "Robustness"): 2·10⁴ headless steps with a constant tf.memory().numTensors, with a
 * mid-run algorithm switch and mini-batches, so every path of the fold is exercised many times (a
 * tensor leaked per step, or per k ≤ 1,000 steps, shows in the samples taken every 1,000 steps; the
 * browser's 10⁴-step run is e2e/robustness.spec.ts). It was 10⁵ steps: 134 s of CI for the same check.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../src/core/config';
import { Experiment } from '../src/core/experiment';

describe('long runs', () => {
  it('2·10⁴ steps keep tf.memory().numTensors constant', () => {
    const exp = new Experiment(
      loadExperiment({
        version: 1,
        problem: { kind: 'mlp', data: { kind: 'dataset', name: 'xor', n: 40, testRatio: 0.2 }, hidden: [4], batchSize: 8 },
        runs: [{ algorithm: 'adam', hyper: { lr: 0.01 }, switches: [{ at: 10_000, algorithm: 'sgd', hyper: { lr: 0.05, momentum: 0.9 } }] }],
      }),
    );
    // Adam keeps two moment tensors per parameter, SGD one momentum buffer: one baseline per phase.
    const phase = (from: number, to: number) => {
      for (let i = from; i < from + 100; i++) exp.step();
      const baseline = tf.memory().numTensors;
      const samples: number[] = [];
      for (let i = from + 100; i < to; i++) {
        exp.step();
        if (i % 1_000 === 0) samples.push(tf.memory().numTensors);
      }
      expect(samples.every((n) => n === baseline), `numTensors over time: ${samples.join(', ')} (baseline ${baseline})`).toBe(true);
      return baseline;
    };
    const adam = phase(0, 10_000);
    const sgd = phase(10_000, 20_000);
    expect(exp.runs[0].switches.map((s) => [s.at, s.to])).toEqual([[10_000, 'sgd']]);
    expect(adam - sgd).toBe(4); // 2-4-1 net: four parameter tensors, one buffer fewer each
    const { train } = exp.evaluate(exp.runs[0]);
    expect(Number.isFinite(train.dataSync()[0])).toBe(true);
    train.dispose();
    exp.dispose();
  }, 300_000);
});
