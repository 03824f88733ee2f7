/**
 * The MLP structure on both engines (engine/mlp-ops.ts) and the structured algorithms written once
 * against it (Gauss–Newton, Böhning, ProxProp):
 *  (a) the cpu engine's MLPOps (float64 loops, engines/cpu/mlp-ops.ts; JᵀJ on its JS loops and on the
 *      WebAssembly f64x2 kernel) agree with the tfjs engine's (hand-built tensor Jacobian products,
 *      engines/tfjs/mlp-ops.ts) on several nets, activations and losses, on the full data and on a
 *      mini-batch; J·v and Jᵀu are adjoint, vᵀ(JᵀJ)v = ‖Jv‖²;
 *  (b) each algorithm on the cpu engine follows its tfjs run, and the MM ones are monotone there.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadExperiment, type ExperimentInput } from '../src/core/config';
import { CpuMLPOps } from '../src/core/engines/cpu/mlp-ops';
import { cpuArray, cpuVec } from '../src/core/engines/cpu/vector-ops';
import { tfjsMLPOps } from '../src/core/engines/tfjs/mlp-ops';
import { tfjsVectorOps } from '../src/core/engines/tfjs/vector-ops';
import type { MLPOps } from '../src/core/engine/mlp-ops';
import type { Vec } from '../src/core/engine/types';
import { runExperiment } from '../src/core/experiment';
import { buildFusedProblem, runFusedExperiment, type KernelKind } from '../src/core/fused';
import { buildMLPProblem } from '../src/core/problems/build';
import type { MLPProblem } from '../src/core/problems/mlp';
import { Rng } from '../src/core/rng';
import { cholesky, choleskyScaledShifted } from '../src/core/linalg';
import { relErr } from './rel-err';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

type Case = [name: string, problem: ExperimentInput['problem']];
const CASES: Case[] = [
  ['moons 2-5-4-1 tanh bce', { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 72, testRatio: 0 }, hidden: [5, 4], activation: 'tanh', loss: 'bce', l2: 1e-3 }],
  ['spiral 2-6-3 relu softmax', { kind: 'mlp', data: { kind: 'dataset', name: 'spiral', n: 60, testRatio: 0 }, hidden: [6], activation: 'relu', loss: 'softmax_ce' }],
  ['gaussians 2-3-3-K sigmoid softmax', { kind: 'mlp', data: { kind: 'dataset', name: 'gaussians', n: 48, testRatio: 0 }, hidden: [3, 3], activation: 'sigmoid', loss: 'softmax_ce', l2: 1e-2 }],
  ['ripple 2-7-1 tanh mse', { kind: 'mlp', data: { kind: 'dataset', name: 'ripple', n: 40, testRatio: 0 }, hidden: [7], activation: 'tanh', loss: 'mse' }],
  ['xor 2-4-1 linear bce', { kind: 'mlp', data: { kind: 'dataset', name: 'xor', n: 50, testRatio: 0 }, hidden: [4], activation: 'linear', loss: 'bce' }],
  ['circles logistic', { kind: 'mlp', data: { kind: 'dataset', name: 'circles', n: 64, testRatio: 0 }, hidden: [], activation: 'tanh', loss: 'bce', l2: 1e-2 }],
];

/** The same problem on both engines at the same θ (θ₀ plus a seeded perturbation, so no bias is 0). */
function pair(problem: ExperimentInput['problem'], kernels: KernelKind) {
  const config = loadExperiment({ version: 1, problem, runs: [{ algorithm: 'adam' }] });
  const prob = buildMLPProblem(config.problem as never, config.seeds) as MLPProblem;
  const fused = buildFusedProblem(config, { kernels });
  const rng = new Rng(7);
  const theta = Float32Array.from(fused.theta0, (x) => x + 0.3 * rng.normal());
  const params = prob.initialParams();
  const tVec = tfjsVectorOps.fromArray(tfjsVectorOps.keep(params as unknown as Vec), theta);
  tf.dispose(params);
  return { config, prob, fused, theta, tVec, cVec: cpuVec(theta) };
}

describe('MLPOps: the cpu engine (float64 loops) agrees with the tfjs engine', () => {
  it.each(CASES.flatMap(([name, p]) => (['js', 'wasm-simd'] as KernelKind[]).map((k) => [name, k, p] as const)))(
    '%s (%s kernels): outputs, layer inputs, input Grams, J·v, Jᵀu, JᵀJ within 1e-5',
    (_name, kernels, problem) => {
      const { prob, fused, theta, tVec, cVec } = pair(problem, kernels);
      const before = tf.memory().numTensors;
      const rng = new Rng(11);
      try {
        for (const rows of [null, Int32Array.from({ length: 20 }, (_, i) => (i * 7 + 3) % fused.train.n)]) {
          const obj = rows ? prob.batch(rows) : prob.full;
          const t: MLPOps = tfjsMLPOps(obj);
          const c: MLPOps = new CpuMLPOps(fused.spec, fused.train, () => rows, true, kernels);
          try {
            expect(c.n).toBe(t.n);
            expect([c.curvatureBound, c.l2, c.sizes]).toEqual([t.curvatureBound, t.l2, t.sizes]);
            expect(c.dataKey).toBe(t.dataKey);
            expect(Array.from(c.targets())).toEqual(Array.from(t.targets()));
            expect(relErr(c.outputs(cVec), t.outputs(tVec))).toBeLessThan(1e-5);
            const [ci, ti] = [c.layerInputs(cVec), t.layerInputs(tVec)];
            ci.forEach((a, l) => expect(relErr(a, ti[l]), `a_${l}`).toBeLessThan(1e-5));
            const [cg, tg] = [c.inputGrams(cVec), t.inputGrams(tVec)];
            cg.forEach((g, l) => expect(relErr(g, tg[l]), `Ã_${l}ᵀÃ_${l}`).toBeLessThan(1e-5));
            const v = Float32Array.from(theta, () => rng.normal());
            const Jv = c.jvp(cVec, cpuVec(v));
            const vT = tfjsVectorOps.fromArray(tVec, v);
            expect(relErr(Jv, t.jvp(tVec, vT))).toBeLessThan(1e-5);
            tfjsVectorOps.dispose(vT);
            const u = Float64Array.from(Jv, () => rng.normal());
            const JTu = cpuArray(c.vjp(cVec, u));
            const JTuT = tf.tidy(() => tfjsVectorOps.toArray(t.vjp(tVec, u)));
            expect(relErr(JTu, JTuT)).toBeLessThan(1e-5);
            // adjoint: ⟨Jv, u⟩ = ⟨v, Jᵀu⟩ (Jᵀu is rounded to float32)
            expect(Math.abs(dot(Jv, u) - dot(v, JTu))).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(dot(Jv, u))));
            const G = c.jacobianGram(cVec);
            expect(relErr(G, t.jacobianGram(tVec))).toBeLessThan(1e-5);
            // vᵀ(JᵀJ)v = ‖Jv‖², and the out buffer gives the same matrix (JᵀJ is float64 on both kernels;
            // J·v is float64 on the JS kernels, float32 on the SIMD ones)
            const P = theta.length;
            let q = 0;
            for (let i = 0; i < P; i++) for (let j = 0; j < P; j++) q += v[i] * G[i * P + j] * v[j];
            expect(Math.abs(q - dot(Jv, Jv))).toBeLessThanOrEqual((kernels === 'js' ? 1e-9 : 1e-6) * (1 + dot(Jv, Jv)));
            const out = new Float64Array(P * P).fill(NaN);
            expect(Array.from(c.jacobianGram(cVec, out))).toEqual(Array.from(G));
            expect(Array.from(cpuArray(c.weightMask(cVec)))).toEqual(tf.tidy(() => Array.from(tfjsVectorOps.toArray(t.weightMask(tVec)))));
          } finally {
            if (rows) (obj as { dispose?: () => void }).dispose?.();
          }
        }
        // a mini-batch is other inputs: another key
        const batchKey = new CpuMLPOps(fused.spec, fused.train, () => Int32Array.of(0, 1, 2), true, kernels).dataKey;
        expect(batchKey).not.toBe(tfjsMLPOps(prob.full).dataKey);
        expect(tf.memory().numTensors).toBe(before);
      } finally {
        tfjsVectorOps.dispose(tVec);
        prob.dispose();
      }
    },
  );

  it.each([
    ['moons 2-16-9-1 tanh bce', { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 700, testRatio: 0 }, hidden: [16, 9], activation: 'tanh', loss: 'bce' }],
    ['spiral 2-12-3 relu softmax', { kind: 'mlp', data: { kind: 'dataset', name: 'spiral', n: 600, testRatio: 0 }, hidden: [12], activation: 'relu', loss: 'softmax_ce' }],
  ] as Case[])('%s: the float32 SIMD J·v and Jᵀu (several row chunks) agree with the float64 JS loops and are adjoint', (_name, problem) => {
    const { fused, theta } = pair(problem, 'wasm-simd');
    const rng = new Rng(5);
    const cVec = cpuVec(theta);
    const js = new CpuMLPOps(fused.spec, fused.train, () => null, true, 'js');
    const simd = new CpuMLPOps(fused.spec, fused.train, () => null, true, 'wasm-simd');
    const v = Float32Array.from(theta, () => rng.normal());
    const Jv = simd.jvp(cVec, cpuVec(v));
    expect(relErr(Jv, js.jvp(cVec, cpuVec(v)))).toBeLessThan(1e-5);
    const u = Float64Array.from(Jv, () => rng.normal());
    const JTu = cpuArray(simd.vjp(cVec, u));
    expect(relErr(JTu, cpuArray(js.vjp(cVec, u)))).toBeLessThan(1e-5);
    expect(Math.abs(dot(Jv, u) - dot(v, JTu))).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(dot(Jv, u))));
    // a mini-batch after the full data (the same buffers, fewer rows), then the full data again
    const rows = Int32Array.from({ length: 300 }, (_, i) => (i * 13 + 1) % fused.train.n);
    const jsB = new CpuMLPOps(fused.spec, fused.train, () => rows, true, 'js');
    let cur: Int32Array | null = rows;
    const simdB = new CpuMLPOps(fused.spec, fused.train, () => cur, true, 'wasm-simd');
    expect(relErr(simdB.jvp(cVec, cpuVec(v)), jsB.jvp(cVec, cpuVec(v)))).toBeLessThan(1e-5);
    cur = null;
    expect(relErr(simdB.jvp(cVec, cpuVec(v)), Jv)).toBe(0);
    expect(relErr(simdB.outputs(cVec), js.outputs(cVec))).toBeLessThan(1e-5);
  });

  it("choleskyScaledShifted (Gauss–Newton's direct path) factors c·JᵀJ + diag(shift) as cholesky does on the formed matrix", () => {
    const { fused, cVec } = pair(CASES[0][1], 'wasm-simd');
    const G = new CpuMLPOps(fused.spec, fused.train, () => null, true, 'wasm-simd').jacobianGram(cVec);
    const P = Math.sqrt(G.length);
    for (const [c, lam] of [[0.25 / 72, 1e-3], [0.25 / 72, 0], [1, 0]]) {
      const shift = Float64Array.from({ length: P }, (_, i) => lam + (i % 3 === 0 ? 1e-3 : 0));
      const A = Float64Array.from(G, (x) => c * x);
      for (let i = 0; i < P; i++) A[i * P + i] = c * G[i * P + i] + shift[i];
      const ref = cholesky(A, P);
      const got = choleskyScaledShifted(G, P, c, shift, new Float64Array(P * P).fill(NaN));
      expect(got.jitter).toBe(ref.jitter);
      expect(Array.from(got.L)).toEqual(Array.from(ref.L));
    }
  });

  it('the JS and WebAssembly Gram kernels agree (the SIMD side rounds its activations to float32, as its f does)', () => {
    const { fused, cVec } = pair(CASES[0][1], 'js');
    const js = new CpuMLPOps(fused.spec, fused.train, () => null, true, 'js').jacobianGram(cVec);
    const simd = new CpuMLPOps(fused.spec, fused.train, () => null, true, 'wasm-simd').jacobianGram(cVec);
    expect(relErr(simd, js)).toBeLessThan(1e-6);
  });
});

describe('Gauss–Newton, Böhning and ProxProp on the cpu engine follow their tfjs runs', () => {
  const problems: Case[] = [
    ['moons 2-6-1 tanh bce', { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 96, testRatio: 0 }, hidden: [6], activation: 'tanh', loss: 'bce' }],
    ['gaussians 2-4-4-K relu softmax, l2', { kind: 'mlp', data: { kind: 'dataset', name: 'gaussians', n: 64, testRatio: 0 }, hidden: [4, 4], activation: 'relu', loss: 'softmax_ce', l2: 1e-3 }],
    ['ripple 2-5-1 sigmoid mse', { kind: 'mlp', data: { kind: 'dataset', name: 'ripple', n: 64, testRatio: 0 }, hidden: [5], activation: 'sigmoid', loss: 'mse' }],
    // Mini-batches: every step refactors Böhning's bound and forms J on that batch's rows. (A tiny batch
    // with mse — an exact, ill-conditioned Newton step on the last layer — sits at float32's edge:
    // whether f(θ⁺) passes the acceptance slack there depends on each engine's evaluation noise.)
    ['circles 2-5-1 tanh bce, mini-batches of 32', { kind: 'mlp', data: { kind: 'dataset', name: 'circles', n: 96, testRatio: 0 }, hidden: [5], activation: 'tanh', loss: 'bce', batchSize: 32 }],
  ];
  const runs = [
    { algorithm: 'mm-gauss-newton' },
    { algorithm: 'mm-gauss-newton', hyper: { maxDirect: 0, cgIterations: 200, cgTolerance: 1e-9 } },
    { algorithm: 'mm-bohning' },
    { algorithm: 'proxprop' },
  ];
  it.each(problems)('%s: 30 steps, f within 1e-3 (relative) of tfjs; the MM runs monotone on the cpu engine (full batch)', (_name, problem) => {
    const config = loadExperiment({ version: 1, problem, runs, steps: 30 });
    const ref = runExperiment(config, { recordTest: false });
    const cpu = runFusedExperiment(config, { recordTest: false });
    const fullBatch = !('batchSize' in problem) || problem.batchSize === undefined;
    cpu.runs.forEach((r, i) => {
      expect(r.status, `${r.algorithm}: ${r.message ?? ''}`).toBe('done');
      expect(r.losses.length).toBe(31);
      // float32 evaluation noise (sums in another order), amplified a little by the iteration
      const err = relErr(r.losses, ref.runs[i].losses);
      expect(err, `${r.algorithm} #${i}`).toBeLessThan(1e-3);
      // ProxProp is not a majorizer (with η = 1 it can rise), and an MM step on a mini-batch majorizes
      // that batch's f, not the full one: monotone only for the MM runs on the full batch.
      if (!r.algorithm.startsWith('mm-') || !fullBatch) return;
      for (let k = 0; k < 30; k++) expect(r.losses[k + 1], `${r.algorithm} step ${k + 1}`).toBeLessThanOrEqual(r.losses[k] * (1 + 1e-6) + 1e-7);
      expect(r.losses[30]).toBeLessThan(r.losses[0]);
    });
  });
});
