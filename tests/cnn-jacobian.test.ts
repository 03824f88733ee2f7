/**
 * The CNN's Jacobian products (engine/net-ops.ts: engines/cpu/cnn-ops.ts, engines/tfjs/cnn-ops.ts), used
 * by Gauss–Newton and Böhning MM: c(θ₀), J·v and Jᵀu against PyTorch's torch.autograd.functional.jvp /
 * vjp in float64 (tests/fixtures/cnn-torch.json, tools/cnn_fixture.py: two conv blocks, ReLU, max-pool)
 * on both engines; J·v against central differences of the float64 net; JᵀJ against Jᵀ(J·w); and the
 * structure Böhning reads (the last layer's inputs, its offset, the weight mask).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadImageDataNode } from '../src/cli/data-files';
import { loadExperiment, type ExperimentConfig, type ExperimentInput } from '../src/core/config';
import { requireNet } from '../src/core/engine/net-ops';
import type { EngineProblem } from '../src/core/engine/problem';
import { CNNTangentNet } from '../src/core/engines/cpu/cnn-tangent';
import { CpuCNNProblem } from '../src/core/engines/cpu/cnn-problem';
import { TfjsProblem } from '../src/core/engines/tfjs/problem';
import { relErr } from './rel-err';

const fx = JSON.parse(readFileSync('tests/fixtures/cnn-torch.json', 'utf8')) as {
  config: unknown;
  rows: number;
  jacobian: { v: number[]; u: number[]; outputs: number[]; jvp: number[]; vjp: number[] };
};

const dotArr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** A small digits CNN: 8×8 → conv 3×3 (2 filters), pool 2 → 18 → 10 (P = 20 + 190 = 210). */
const tiny: ExperimentInput = {
  version: 1,
  problem: {
    kind: 'mlp',
    data: { kind: 'dataset', name: 'digits', n: 40, testRatio: 0.25 },
    conv: [{ filters: 2, kernel: 3, pool: 2 }],
    hidden: [],
    activation: 'tanh',
    loss: 'softmax_ce',
    l2: 0.01,
    batchSize: 12,
  } as ExperimentInput['problem'],
  runs: [{ algorithm: 'adam' }],
  steps: 1,
};

let config: ExperimentConfig;
let tinyConfig: ExperimentConfig;
beforeAll(async () => {
  config = loadExperiment(fx.config);
  tinyConfig = loadExperiment(tiny);
  await loadImageDataNode(config.problem);
});

const rowsOf = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe('CNN Jacobian products vs PyTorch (float64 autograd.functional.jvp / vjp)', () => {
  for (const engine of ['cpu', 'tfjs'] as const)
    it(`${engine} engine: c(θ₀), J·v and Jᵀu on the fixture's rows`, () => {
      const problem: EngineProblem = engine === 'tfjs' ? TfjsProblem.build(config) : CpuCNNProblem.build(config);
      const tol = engine === 'cpu' ? 1e-9 : 2e-5; // the cpu products are float64 loops, tfjs float32
      try {
        const { ops } = problem;
        const theta = problem.theta0();
        const { f, release } = problem.batch(rowsOf(fx.rows));
        const net = requireNet(f, 'test');
        expect(net.n).toBe(fx.rows);
        expect(relErr(net.outputs(theta), fx.jacobian.outputs)).toBeLessThan(tol);
        const v = ops.fromArray(theta, fx.jacobian.v);
        expect(relErr(net.jvp(theta, v), fx.jacobian.jvp)).toBeLessThan(tol);
        // Jᵀu is returned as a θ-shaped Vec (float32 on both engines).
        expect(relErr(ops.toArray(net.vjp(theta, Float64Array.from(fx.jacobian.u))), fx.jacobian.vjp)).toBeLessThan(engine === 'cpu' ? 1e-6 : 2e-5);
        ops.dispose(v);
        release();
      } finally {
        problem.dispose();
      }
    });
});

describe('CNN Jacobian products: finite differences, JᵀJ, the last layer', () => {
  it('J·v equals central differences of the float64 net (tanh and relu)', () => {
    for (const activation of ['tanh', 'relu'] as const) {
      const cpu = CpuCNNProblem.build(config, 'js');
      const net = new CNNTangentNet({ ...cpu.spec, activation });
      // Away from θ₀: its zero biases put every all-zero image patch exactly on ReLU's kink (z = 0).
      const theta = Float64Array.from(cpu.ops.toArray(cpu.theta0()), (t, i) => t + 0.05 * Math.sin(3 * i + 1));
      const v = Float64Array.from(fx.jacobian.v);
      const rows = rowsOf(fx.rows);
      const jv = net.jvp(theta, v, cpu.train, rows);
      const eps = 1e-6;
      const at = (s: number) => net.logits(theta.map((t, i) => t + s * eps * v[i]), cpu.train, rows);
      const plus = at(1);
      const minus = at(-1);
      const fd = plus.map((p, i) => (p - minus[i]) / (2 * eps));
      expect(relErr(jv, fd), activation).toBeLessThan(1e-6);
      // The adjoint: ⟨J·v, u⟩ = ⟨v, Jᵀu⟩.
      const u = Float64Array.from(fx.jacobian.u);
      const g = new Float64Array(theta.length);
      net.vjp(theta, u, cpu.train, rows, g);
      expect(Math.abs(dotArr(jv, u) - dotArr(v, g)) / Math.abs(dotArr(v, g))).toBeLessThan(1e-12);
    }
  });

  for (const engine of ['cpu', 'tfjs'] as const)
    it(`${engine} engine: JᵀJ·w = Jᵀ(J·w), the weight mask and the last layer's inputs`, () => {
      const problem: EngineProblem = engine === 'tfjs' ? TfjsProblem.build(tinyConfig) : CpuCNNProblem.build(tinyConfig);
      try {
        const { ops } = problem;
        const theta = problem.theta0();
        const { f, release } = problem.batch(rowsOf(3));
        const net = requireNet(f, 'test');
        const P = ops.toArray(theta).length;
        expect(P).toBe(210);
        const G = net.jacobianGram(theta);
        const w = Float64Array.from({ length: P }, (_, i) => Math.sin(i + 1));
        const Gw = new Float64Array(P);
        for (let p = 0; p < P; p++) for (let q = 0; q < P; q++) Gw[p] += G[p * P + q] * w[q];
        const JtJw = ops.toArray(net.vjp(theta, net.jvp(theta, ops.fromArray(theta, w))));
        expect(relErr(Gw, JtJw)).toBeLessThan(engine === 'cpu' ? 1e-6 : 1e-4);
        for (let p = 0; p < P; p += 7) expect(G[p * P + ((p * 13) % P)]).toBe(G[((p * 13) % P) * P + p]);

        // Kernels and dense weights are penalised, biases not: [K 18 | c 2 | W 180 | b 10].
        const mask = Array.from(ops.toArray(net.weightMask(theta)));
        expect(mask).toEqual([...Array(18).fill(1), 0, 0, ...Array(180).fill(1), ...Array(10).fill(0)]);
        expect(net.lastLayer).toEqual({ inputs: 18, outputs: 10, offset: 20 });
        expect(net.layoutKey).toEqual([1, 2, 3, 2, 18, 10]);
        // The features are the pooled tanh maps: c(θ) = A·W + b.
        const A = net.lastLayerInputs(theta);
        const th = ops.toArray(theta);
        const out = net.outputs(theta);
        let err = 0;
        for (let i = 0; i < 3; i++)
          for (let k = 0; k < 10; k++) {
            let z = th[200 + k];
            for (let j = 0; j < 18; j++) z += A[i * 18 + j] * th[20 + j * 10 + k];
            err = Math.max(err, Math.abs(z - out[i * 10 + k]));
          }
        expect(err).toBeLessThan(1e-5);
        release();
      } finally {
        problem.dispose();
      }
    });

  it('both engines fingerprint the same rows alike (Böhning’s dataKey) and other rows differently', () => {
    const cpu = CpuCNNProblem.build(tinyConfig);
    const tfp = TfjsProblem.build(tinyConfig);
    try {
      const a = cpu.batch(rowsOf(12));
      const keyCpu = requireNet(a.f, 'test').dataKey;
      a.release();
      const b = tfp.batch(rowsOf(12));
      expect(requireNet(b.f, 'test').dataKey).toBe(keyCpu);
      b.release();
      const c = cpu.batch(Int32Array.from({ length: 12 }, (_, i) => i + 1));
      expect(requireNet(c.f, 'test').dataKey).not.toBe(keyCpu);
      c.release();
    } finally {
      cpu.dispose();
      tfp.dispose();
    }
  });
});
