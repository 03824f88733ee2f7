import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../src/core/config';
import { BatchSchedule, Experiment, paramsOf, runExperiment } from '../src/core/experiment';
import { buildMLP } from '../src/core/problems/mlp';

const moons = (runs: unknown[], extra: Record<string, unknown> = {}) =>
  loadExperiment({
    version: 1,
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 96 }, hidden: [6], ...extra },
    runs,
    steps: 40,
  });

describe('MLP objective', () => {
  it('binary cross-entropy with logits matches the closed form', () => {
    // One layer, W = [[1], [-1]], b = [0.5]: logits z = x1 − x2 + 0.5.
    const p = buildMLP(
      { sizes: [2, 1], activation: 'tanh', loss: 'bce', l2: 0.2 },
      { X: [[1, 0], [0, 2]], y: [1, 0] },
      { seed: 0, layers: [{ W: [[1], [-1]], b: [0.5] }] },
    );
    const theta = p.initialParams();
    const z = [1.5, -1.5];
    const softplus = (v: number) => Math.log1p(Math.exp(v));
    const expected = (softplus(-z[0]) + softplus(z[1])) / 2 + (0.2 / 2) * 2; // + (l2/2)‖W‖²
    expect(p.full.loss(theta).dataSync()[0]).toBeCloseTo(expected, 6);
    tf.dispose(theta);
    p.dispose();
  });

  it('softmax cross-entropy and MSE follow torch conventions', () => {
    const X = [[1, 2], [3, -1]];
    const layers = [{ W: [[0.1, -0.2, 0.3], [0.4, 0.0, -0.1]], b: [0, 0.1, -0.1] }];
    const ce = buildMLP({ sizes: [2, 3], activation: 'linear', loss: 'softmax_ce', l2: 0 }, { X, y: [2, 0] }, { seed: 0, layers });
    const theta = ce.initialParams();
    const logits = X.map((x) => [0, 1, 2].map((k) => x[0] * layers[0].W[0][k] + x[1] * layers[0].W[1][k] + layers[0].b[k]));
    const lse = (v: number[]) => Math.log(v.reduce((s, a) => s + Math.exp(a), 0));
    const expected = (lse(logits[0]) - logits[0][2] + lse(logits[1]) - logits[1][0]) / 2;
    expect(ce.full.loss(theta).dataSync()[0]).toBeCloseTo(expected, 6);
    const mse = buildMLP({ sizes: [2, 1], activation: 'linear', loss: 'mse', l2: 0 }, { X, y: [1, -1] }, { seed: 0, layers: [{ W: [[1], [1]], b: [0] }] });
    const t2 = mse.initialParams();
    expect(mse.full.loss(t2).dataSync()[0]).toBeCloseTo(((3 - 1) ** 2 + (2 + 1) ** 2) / 2, 6);
    tf.dispose([...theta, ...t2]);
    ce.dispose();
    mse.dispose();
  });

  it('Glorot-uniform init is seeded and within ±√(6/(fan_in+fan_out))', () => {
    const cfg = moons([{ algorithm: 'sgd' }]);
    const a = new Experiment(cfg);
    const b = new Experiment(cfg);
    const W1 = paramsOf(a.runs[0])[0].arraySync() as number[][];
    expect(W1).toEqual(paramsOf(b.runs[0])[0].arraySync());
    const bound = Math.sqrt(6 / (2 + 6));
    W1.flat().forEach((w) => expect(Math.abs(w)).toBeLessThanOrEqual(bound));
    const c = new Experiment({ ...cfg, seeds: { ...cfg.seeds, init: 99 } });
    expect(paramsOf(c.runs[0])[0].arraySync()).not.toEqual(W1);
    // Same data regardless of the init seed.
    expect(c.problem.tfjs.full.loss(paramsOf(c.runs[0])).dataSync()[0]).not.toBe(a.problem.tfjs.full.loss(paramsOf(a.runs[0])).dataSync()[0]);
    [a, b, c].forEach((e) => e.dispose());
  });
});

describe('experiment fold', () => {
  it('is deterministic and starts every run from the same initialisation', () => {
    const cfg = moons([{ algorithm: 'sgd', hyper: { lr: 0.5 } }, { algorithm: 'sgd', hyper: { lr: 0.1, momentum: 0.9 } }]);
    const r1 = runExperiment(cfg);
    const r2 = runExperiment(cfg);
    expect(r1.runs.map((r) => r.losses)).toEqual(r2.runs.map((r) => r.losses));
    expect(r1.runs[0].losses[0]).toBe(r1.runs[1].losses[0]);
    expect(r1.runs[0].losses).toHaveLength(41);
    expect(r1.runs[0].testLosses).toHaveLength(41);
    expect(r1.runs[0].losses[40]).toBeLessThan(r1.runs[0].losses[0]);
    expect(r1.runs.every((r) => r.status === 'done' && r.steps === 40)).toBe(true);
  });

  it('mini-batches: every example once per epoch, the same order for every run', () => {
    const s = new BatchSchedule(10, 4, 5);
    const epoch = [...s.indices(0), ...s.indices(1), ...s.indices(2)].sort((x, y) => x - y);
    expect(epoch).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(s.indices(2)).toHaveLength(2);
    const again = new BatchSchedule(10, 4, 5);
    expect([...again.indices(4)]).toEqual([...s.indices(4)]);
    const cfg = moons([{ algorithm: 'sgd', hyper: { lr: 0.3 } }, { algorithm: 'sgd', hyper: { lr: 0.3 } }], { batchSize: 16 });
    const r = runExperiment(cfg);
    expect(r.runs[0].losses).toEqual(r.runs[1].losses);
    const full = runExperiment(moons([{ algorithm: 'sgd', hyper: { lr: 0.3 } }]));
    expect(r.runs[0].losses.slice(1)).not.toEqual(full.runs[0].losses.slice(1));
  });

  it('a scheduled switch keeps the parameters and restarts the state; keepState only changes hyper', () => {
    const plain = runExperiment(moons([{ algorithm: 'sgd', hyper: { lr: 0.3, momentum: 0.9 } }]));
    const switched = runExperiment(
      moons([{ algorithm: 'sgd', hyper: { lr: 0.3, momentum: 0.9 }, switches: [{ at: 10, algorithm: 'sgd', hyper: { lr: 0.3, momentum: 0.9 } }] }]),
    );
    const kept = runExperiment(
      moons([{ algorithm: 'sgd', hyper: { lr: 0.3, momentum: 0.9 }, switches: [{ at: 10, algorithm: 'sgd', hyper: { lr: 0.3, momentum: 0.9 }, keepState: true }] }]),
    );
    // Identical until the switch, then the momentum buffer restarts (different), unless kept.
    expect(switched.runs[0].losses.slice(0, 11)).toEqual(plain.runs[0].losses.slice(0, 11));
    expect(switched.runs[0].losses[11]).not.toBe(plain.runs[0].losses[11]);
    expect(kept.runs[0].losses).toEqual(plain.runs[0].losses);
    expect(switched.runs[0].switches).toEqual([{ at: 10, from: 'sgd', to: 'sgd', hyper: expect.any(Object), keepState: false }]);
  });

  it('a diverging run stops at the step where f became non-finite; the others continue', () => {
    const cfg = loadExperiment({
      version: 1,
      problem: { kind: 'mlp', data: { kind: 'dataset', name: 'sine', n: 64 }, hidden: [], activation: 'linear', loss: 'mse' },
      runs: [{ algorithm: 'sgd', hyper: { lr: 50 } }, { algorithm: 'sgd', hyper: { lr: 0.05 } }],
      steps: 300,
    });
    const r = runExperiment(cfg);
    const [bad, good] = r.runs;
    expect(bad.status).toBe('diverged');
    expect(bad.divergedAt).toBe(bad.losses.length - 1);
    expect(Number.isFinite(bad.losses.at(-1)!)).toBe(false);
    expect(bad.losses.slice(0, -1).every(Number.isFinite)).toBe(true);
    expect(bad.message).toMatch(/diverged at step \d+/);
    expect(good.status).toBe('done');
    expect(good.losses).toHaveLength(301);
  });

  it('no tensor leaks: numTensors is constant over 5,000 steps', () => {
    const exp = new Experiment(moons([{ algorithm: 'sgd', hyper: { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 1e-3 } }], { batchSize: 32 }));
    for (let i = 0; i < 10; i++) exp.step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5000; i++) exp.step();
    expect(tf.memory().numTensors).toBe(before);
    const { train, test } = exp.evaluate(exp.runs[0]);
    tf.dispose([train, test ?? []]);
    expect(tf.memory().numTensors).toBe(before);
    exp.dispose();
  });
});
