/**
 * Shared helpers of the β-NMF algorithm tests (nmf-me, nmf-penalty, nmf-joint, nmf-mu-monotone): the
 * same problem and θ₀ on both engines, stepping an engine algorithm on each, and a float64 reference
 * of one multiplicative-style iteration W ← W ⊙ φ(R_W), H ← H ⊙ φ(R_H).
 */
import * as tf from '@tensorflow/tfjs';
import type { NMFProblemConfig } from '../src/core/config';
import type { AnyEngineAlgorithm } from '../src/core/engine/algorithm';
import type { StepContext, Vec } from '../src/core/engine/types';
import { CpuNMFObjective } from '../src/core/engines/cpu/nmf-objective';
import { cpuVec, cpuVectorOps } from '../src/core/engines/cpu/vector-ops';
import { tfjsContext } from '../src/core/engines/tfjs/adapter';
import { tfjsVec } from '../src/core/engines/tfjs/vector-ops';
import { NMFWorkspace } from '../src/core/fused/nmf-engine';
import { buildNMF, nmfPenalty, randomNMFInit, syntheticNMFData, type NMFProblem } from '../src/core/problems/nmf';
import { Rng } from '../src/core/rng';

export function randomMatrix(rng: Rng, m: number, n: number, lo: number, hi: number): number[][] {
  return Array.from({ length: m }, () => Array.from({ length: n }, () => Math.exp(rng.range(Math.log(lo), Math.log(hi)))));
}

export interface NMFPair {
  V: number[][];
  W0: number[][];
  H0: number[][];
  beta: number;
  tfjs: StepContext;
  cpu: StepContext;
  /** θ₀ on the cpu engine. */
  thetaC: Vec;
  /** A fresh θ₀ on tfjs (the caller frees it). */
  thetaT(): Vec;
  problem: NMFProblem;
  dispose(): void;
}

/** The same explicit problem (V, W0, H0) on both engines. */
export function pairOf(config: NMFProblemConfig): NMFPair {
  const problem = buildNMF(config, { data: 1, init: 2, batch: 3 });
  const V = problem.full.V.arraySync();
  const { W0, H0 } = config.init!;
  const [m, n, K] = [V.length, V[0].length, config.rank];
  const ws = new NMFWorkspace(Float32Array.from(V.flat()), { m, n, K });
  const cpu: StepContext = { ops: cpuVectorOps, f: new CpuNMFObjective(ws, config.beta, nmfPenalty(config)) };
  const params = problem.initialParams();
  return {
    V,
    W0,
    H0,
    beta: config.beta,
    tfjs: tfjsContext(problem.full, params),
    cpu,
    thetaC: cpuVec(Float32Array.from([...W0.flat(), ...H0.flat()])),
    thetaT: () => tfjsVec(problem.initialParams()),
    problem,
    dispose: () => {
      tf.dispose(params);
      problem.dispose();
      ws.close();
    },
  };
}

/** A random strictly positive V (m×n) and θ₀, seeded; optional penalty. */
export function nmfPair(beta: number, seed: number, m = 9, n = 7, K = 3, penalty?: NMFProblemConfig['penalty']): NMFPair {
  const rng = new Rng(seed);
  const V = randomMatrix(rng, m, n, 0.05, 5);
  const init = { W0: randomMatrix(rng, m, K, 0.1, 2), H0: randomMatrix(rng, K, n, 0.1, 2) };
  return pairOf({ kind: 'nmf', beta, rank: K, data: { kind: 'explicit', V }, init, ...(penalty ? { penalty } : {}) });
}

/** The lab's synthetic data (gamma(1) factors of rank K, log-normal noise 0.1) and sklearn-style θ₀. */
export function syntheticPair(beta: number, m: number, n: number, K: number, seed: number): NMFPair {
  const V = syntheticNMFData(m, n, K, 0.1, seed);
  return pairOf({ kind: 'nmf', beta, rank: K, data: { kind: 'explicit', V }, init: randomNMFInit(V, K, seed + 1) });
}

/** f(θₖ), k = 0…iters, of `alg` on the cpu engine from θ₀. */
export function runCpu(p: NMFPair, alg: AnyEngineAlgorithm, h: object, iters: number): number[] {
  let theta = p.thetaC;
  let state = alg.init(p.cpu, theta, h);
  const f = [p.cpu.f.value(theta)];
  for (let k = 0; k < iters; k++) {
    ({ theta, state } = alg.step(p.cpu, theta, state, h));
    f.push(p.cpu.f.value(theta));
  }
  return f;
}

/** θₖ (as arrays), k = 0…iters, of `alg` on each engine from θ₀. */
export function stepBoth(p: NMFPair, alg: AnyEngineAlgorithm, h: object, iters: number): { cpu: number[][]; tfjs: number[][] } {
  const out = { cpu: [] as number[][], tfjs: [] as number[][] };
  let a = p.thetaC;
  let sa = alg.init(p.cpu, a, h);
  out.cpu.push(Array.from(p.cpu.ops.toArray(a)));
  for (let k = 0; k < iters; k++) {
    ({ theta: a, state: sa } = alg.step(p.cpu, a, sa, h));
    out.cpu.push(Array.from(p.cpu.ops.toArray(a)));
  }
  let b = p.thetaT();
  let sb = alg.init(p.tfjs, b, h);
  out.tfjs.push(Array.from(p.tfjs.ops.toArray(b)));
  for (let k = 0; k < iters; k++) {
    const r = tf.tidy(() => alg.step(p.tfjs, b, sb, h) as unknown as tf.TensorContainer) as unknown as ReturnType<AnyEngineAlgorithm['step']>;
    tf.dispose(b as unknown as tf.Tensor[]);
    [b, sb] = [r.theta, r.state];
    out.tfjs.push(Array.from(p.tfjs.ops.toArray(b)));
  }
  tf.dispose(b as unknown as tf.Tensor[]);
  return out;
}

export interface RefPoint {
  W: number[][];
  H: number[][];
}

const mul = (A: number[][], B: number[][]): number[][] => A.map((row) => B[0].map((_, j) => row.reduce((s, a, k) => s + a * B[k][j], 0)));
const tr = (A: number[][]): number[][] => A[0].map((_, j) => A.map((r) => r[j]));

/** R_W and R_H in float64 (no zeros of V or WH: sklearn's guards do not act), l1 in H's denominator. */
export function ratios(V: number[][], W: number[][], H: number[][], beta: number, block: 0 | 1, l1 = 0): number[][] {
  const WH = mul(W, H);
  const Q = WH.map((r, i) => r.map((y, j) => V[i][j] * Math.pow(y, beta - 2)));
  const D = WH.map((r) => r.map((y) => Math.pow(y, beta - 1)));
  if (block === 0) {
    const N = mul(Q, tr(H));
    const Dn = mul(D, tr(H));
    return N.map((r, i) => r.map((v, k) => v / Dn[i][k]));
  }
  const N = mul(tr(W), Q);
  const Dn = mul(tr(W), D);
  return N.map((r, k) => r.map((v, j) => v / (Dn[k][j] + l1)));
}

/** One float64 iteration W ← W ⊙ φ(R_W), then H ← H ⊙ φ(R_H) at the new W. */
export function refIteration(V: number[][], W0: number[][], H0: number[][], beta: number, phi: (r: number) => number, l1 = 0): RefPoint {
  const RW = ratios(V, W0, H0, beta, 0);
  const W = W0.map((r, i) => r.map((w, k) => w * phi(RW[i][k])));
  const RH = ratios(V, W, H0, beta, 1, l1);
  const H = H0.map((r, k) => r.map((h, j) => h * phi(RH[k][j])));
  return { W, H };
}
