/**
 * Issue 15 point 12: input features of 2-D MLP problems (x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂) and
 * the network view's per-neuron activations, on both engines.
 */
import { describe, expect, it } from 'vitest';
import { CONFIG_VERSION, mlpSizes, parseExperiment, type ExperimentConfig, type MLPProblemConfig } from '../src/core/config';
import { CpuMLPProblem } from '../src/core/engines/cpu/mlp-problem';
import { TfjsProblem } from '../src/core/engines/tfjs/problem';
import { mapFeaturesFlat } from '../src/core/problems/features';
import { mlpData, mlpPoints } from '../src/core/problems/mlp-data';
import { encodeShare, DEFAULT_VIEW } from '../src/ui/share';
import { harness } from './session-harness';

const parse = (problem: Record<string, unknown>): ExperimentConfig => {
  const r = parseExperiment({ version: CONFIG_VERSION, problem: { kind: 'mlp', ...problem }, runs: [{ algorithm: 'adam', hyper: { lr: 0.05 } }], steps: 5 });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
};
const mlp = (c: ExperimentConfig) => c.problem as MLPProblemConfig;

describe('input features in the config', () => {
  it('a config without features parses as before: no features key, the same link', () => {
    const c = parse({});
    expect('features' in c.problem).toBe(false);
    expect(mlpSizes(mlp(c))).toEqual([2, 8, 8, 1]);
    expect(encodeShare(c, DEFAULT_VIEW)).toBe(encodeShare(parse({}), DEFAULT_VIEW));
  });

  it('features set the network input size and map every point, train and test', () => {
    const c = parse({ features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'], data: { kind: 'dataset', name: 'circles', n: 64 } });
    expect(mlpSizes(mlp(c))).toEqual([7, 8, 8, 1]);
    const raw = mlpPoints(mlp(c), c.seeds.data);
    const mapped = mlpData(mlp(c), c.seeds.data);
    const [a, b] = raw.X[3];
    expect(mapped.X[3]).toEqual([a, b, a * a, b * b, a * b, Math.sin(a), Math.sin(b)]);
    const [u, v] = raw.Xtest![0];
    expect(mapped.Xtest![0][4]).toBe(u * v);
    expect(mapped.y).toEqual(raw.y);
  });

  it('refuses repeated features, unknown ones, and features of inputs that are not 2-D points', () => {
    const bad = (problem: Record<string, unknown>) => {
      const r = parseExperiment({ version: CONFIG_VERSION, problem: { kind: 'mlp', ...problem }, runs: [{ algorithm: 'adam' }] });
      return r.ok ? [] : r.errors;
    };
    expect(bad({ features: ['x1', 'x1'] }).join()).toMatch(/features must not repeat/);
    expect(bad({ features: ['x3'] }).join()).toMatch(/features must be among/);
    expect(bad({ features: [] }).join()).toMatch(/at least one/);
    expect(bad({ features: ['x1sq'], loss: 'mse', data: { kind: 'dataset', name: 'sine' } }).join()).toMatch(/problem\.features: .*2-D points/);
  });
});

describe('hidden activations on the engine interface', () => {
  const c = parse({ hidden: [3, 2], features: ['x1sq', 'x2sq', 'x1x2'], activation: 'tanh' });
  const pts = Float32Array.from([0.5, -1, 1.5, 0.25, -0.3, 0.7]);
  const X = mapFeaturesFlat(['x1sq', 'x2sq', 'x1x2'], pts, 3);

  it('cpu and tfjs give the same activations, those of the forward pass by hand', async () => {
    const cpu = CpuMLPProblem.build(c);
    const tfjs = TfjsProblem.build(c);
    const theta = cpu.theta0();
    const a = await cpu.hiddenActivations(theta, X, 3);
    const b = await tfjs.hiddenActivations(tfjs.theta0(), X, 3);
    expect(a.map((m) => m.length)).toEqual([9, 6]);
    // By hand from θ₀'s layout: layer 1 W (3×3), b (3), layer 2 W (3×2), b (2).
    const th = cpu.ops.toArray(theta);
    const [W1, b1, W2, b2] = cpu.layout.map((l) => th.slice(l.offset, l.offset + l.size));
    for (let i = 0; i < 3; i++) {
      const h1 = [0, 1, 2].map((k) => Math.tanh(b1[k] + [0, 1, 2].reduce((s, j) => s + X[3 * i + j] * W1[3 * j + k], 0)));
      const h2 = [0, 1].map((k) => Math.tanh(b2[k] + [0, 1, 2].reduce((s, j) => s + h1[j] * W2[2 * j + k], 0)));
      h1.forEach((v, k) => expect(a[0][3 * i + k]).toBeCloseTo(v, 5));
      h2.forEach((v, k) => expect(a[1][2 * i + k]).toBeCloseTo(v, 5));
    }
    for (let l = 0; l < 2; l++) for (let i = 0; i < a[l].length; i++) expect(b[l][i]).toBeCloseTo(a[l][i], 5);
    tfjs.dispose();
  });

  it('requestView with neurons answers each hidden neuron on a grid, points drawn on the (x₁, x₂) plane', async () => {
    const h = harness();
    // Three features: the network's input is 3-D while the points (and the picture) stay 2-D.
    const config = parse({ hidden: [4, 3], features: ['x1sq', 'x2sq', 'x1x2'], data: { kind: 'dataset', name: 'circles', n: 64 } });
    await h.send({ type: 'start', config, backend: 'fused', play: false });
    await h.send({ type: 'requestView', run: 0, grid: 8, neurons: true });
    const v = h.of('view').at(-1)!.view;
    if (v.kind !== 'mlp2d') throw new Error(`mlp2d expected, got ${v.kind}`);
    expect(v.neurons!.layers.map((m) => m.shape)).toEqual([
      [v.neurons!.grid ** 2, 4],
      [v.neurons!.grid ** 2, 3],
    ]);
    expect(v.neurons!.layers.every((m) => m.data.every((x) => Math.abs(x) <= 1))).toBe(true);
    // The points are the circles' (x₁, x₂), not their squares (which are never negative).
    expect(v.train!.X.shape[1]).toBe(2);
    expect(Array.from(v.train!.X.data).some((x) => x < 0)).toBe(true);
    // Without the option the answer has no neurons (the view is unchanged for old callers).
    await h.send({ type: 'requestView', run: 0, grid: 8 });
    const w = h.of('view').at(-1)!.view;
    expect(w.kind === 'mlp2d' && w.neurons).toBeFalsy();
  });
});
