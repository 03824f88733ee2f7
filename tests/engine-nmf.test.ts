/**
 * β-NMF on the engine interface (src/core/engine/nmf-ops.ts): the tfjs NMFOps (engines/tfjs/nmf-ops.ts)
 * and the cpu engine's (engines/cpu/nmf-objective.ts, on the fused NMFWorkspace) compute the same
 * operations; nmf-mm and nmf-mu, written once (algorithms/nmf-updates.ts), step and show their
 * Févotte–Idier surrogate on both engines; the surrogate on the cpu engine majorizes f and touches it.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nmfMM } from '../src/core/algorithms/nmf-mm';
import { nmfMU } from '../src/core/algorithms/nmf-mu';
import { mmExponent } from '../src/core/algorithms/nmf-updates';
import { ALGORITHMS } from '../src/core/algorithms/registry';
import { findTfjsAlgorithm } from '../src/core/engines/tfjs/algorithms';
import type { NMFProblemConfig } from '../src/core/config';
import type { StepContext, Vec } from '../src/core/engine/types';
import { CpuNMFObjective } from '../src/core/engines/cpu/nmf-objective';
import { cpuVec, cpuVectorOps } from '../src/core/engines/cpu/vector-ops';
import { tfjsContext } from '../src/core/engines/tfjs/adapter';
import { tfjsVec } from '../src/core/engines/tfjs/vector-ops';
import { NMFWorkspace } from '../src/core/fused/nmf-engine';
import { buildNMF, type NMFProblem } from '../src/core/problems/nmf';
import { Rng } from '../src/core/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const BETAS = [-0.5, 0, 0.5, 1, 1.5, 2, 3];

function randomMatrix(rng: Rng, m: number, n: number, lo: number, hi: number): number[][] {
  return Array.from({ length: m }, () => Array.from({ length: n }, () => Math.exp(rng.range(Math.log(lo), Math.log(hi)))));
}

interface Pair {
  tfjs: StepContext;
  cpu: StepContext;
  thetaT: Vec;
  thetaC: Vec;
  problem: NMFProblem;
  ws: NMFWorkspace;
  dispose(): void;
}

/** The same problem and θ₀ on both engines. */
function pair(beta: number, seed: number, m = 9, n = 7, K = 3, zeros = false): Pair {
  const rng = new Rng(seed);
  const V = randomMatrix(rng, m, n, 0.05, 5).map((r, i) => r.map((v, j) => (zeros && (i + j) % 4 === 0 ? 0 : v)));
  const config: NMFProblemConfig = { kind: 'nmf', beta, rank: K, data: { kind: 'explicit', V }, init: { W0: randomMatrix(rng, m, K, 0.1, 2), H0: randomMatrix(rng, K, n, 0.1, 2) } };
  const problem = buildNMF(config, { data: 1, init: 2, batch: 3 });
  const params = problem.initialParams();
  const ws = new NMFWorkspace(problem.full.V.dataSync() as Float32Array, { m, n, K });
  const cpu: StepContext = { ops: cpuVectorOps, f: new CpuNMFObjective(ws, beta) };
  const thetaT = tfjsVec(params);
  const thetaC = cpuVec(tfjsContext(problem.full, params).ops.toArray(thetaT));
  return {
    tfjs: tfjsContext(problem.full, params),
    cpu,
    thetaT,
    thetaC,
    problem,
    ws,
    dispose: () => {
      tf.dispose(params);
      problem.dispose();
      ws.close();
    },
  };
}

/** ∇_W f = ((WH)^{β−1} − (WH)^{β−2} ⊙ V)Hᵀ, ∇_H f = Wᵀ(…), in float64 from θ₀, as [∇W; ∇H]. */
function gradientRef(p: Pair, beta: number): number[] {
  const V = p.problem.full.V.arraySync();
  const [W, H] = p.problem.initialParams().map((t) => {
    const a = t.arraySync() as number[][];
    t.dispose();
    return a;
  });
  const [m, n, K] = [V.length, V[0].length, H.length];
  const E = V.map((row, i) =>
    row.map((v, j) => {
      let y = 0;
      for (let k = 0; k < K; k++) y += W[i][k] * H[k][j];
      return y ** (beta - 1) - y ** (beta - 2) * v;
    }),
  );
  const gW = W.map((_, i) => Array.from({ length: K }, (_, k) => E[i].reduce((s, e, j) => s + e * H[k][j], 0)));
  const gH = H.map((_, k) => Array.from({ length: n }, (_, j) => E.reduce((s, row, i) => s + row[j] * W[i][k], 0)));
  expect(gW).toHaveLength(m);
  return [...gW.flat(), ...gH.flat()];
}

const arr = (c: StepContext, v: Vec): number[] => Array.from(c.ops.toArray(v));
const close = (a: number[], b: number[], rel: number): boolean => a.every((x, i) => Math.abs(x - b[i]) <= rel * Math.max(Math.abs(x), Math.abs(b[i])) + 1e-30);
const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-30);

describe('registry', () => {
  it('nmf-mm and nmf-mu are engine algorithms, run on tfjs through onTfjs', () => {
    expect(ALGORITHMS['nmf-mm']).toBe(nmfMM);
    expect(ALGORITHMS['nmf-mu']).toBe(nmfMU);
    expect((findTfjsAlgorithm('nmf-mm') as unknown as { engineAlgorithm: unknown }).engineAlgorithm).toBe(nmfMM);
    expect((findTfjsAlgorithm('nmf-mu') as unknown as { engineAlgorithm: unknown }).engineAlgorithm).toBe(nmfMU);
  });
});

describe('NMFOps: tfjs = cpu engine (float32 rounding)', () => {
  for (const beta of BETAS)
    for (const zeros of beta > 0 ? [false, true] : [false])
      it(`β = ${beta}${zeros ? ', V with zeros' : ''}: θ layout, f, ratios, half-steps, a full iteration, ∇f, the auxiliary function`, () => {
        const p = pair(beta, 31 + 10 * beta, 9, 7, 3, zeros);
        try {
          const { tfjs: T, cpu: C, thetaT, thetaC } = p;
          const nT = T.f.nmf!;
          const nC = C.f.nmf!;
          expect([nC.rows, nC.cols, nC.rank, nC.beta]).toEqual([nT.rows, nT.cols, nT.rank, nT.beta]);
          expect(arr(C, C.f.block(thetaC, 0))).toEqual(arr(T, T.f.block(thetaT, 0)));
          expect(arr(C, C.f.block(thetaC, 1))).toEqual(arr(T, T.f.block(thetaT, 1)));
          expect(relErr(C.f.value(thetaC), T.f.value(thetaT))).toBeLessThan(1e-5);
          for (const b of [0, 1] as const) expect(close(arr(C, nC.ratio(thetaC, b)), arr(T, nT.ratio(thetaT, b)), 1e-5)).toBe(true);
          const e = mmExponent(beta);
          for (const halves of [[{ block: 0, exponent: e, zeroTiny: beta < 1 }], [{ block: 1, exponent: 1, zeroTiny: beta <= 1 }], [{ block: 0, exponent: e, zeroTiny: false }, { block: 1, exponent: e, zeroTiny: true }]] as const) {
            const a = arr(C, nC.update(thetaC, halves));
            const b = arr(T, nT.update(thetaT, halves));
            expect(close(a, b, 2e-5)).toBe(true);
          }
          // ∇f = D − N: against the closed form in float64 (no zeros of V or WH here, so no guard acts)
          if (!zeros) {
            const gC = arr(C, C.f.valueAndGrad(thetaC).grad);
            const gRef = gradientRef(p, beta);
            const scale = Math.max(...gRef.map(Math.abs));
            gC.forEach((g, i) => expect(Math.abs(g - gRef[i])).toBeLessThanOrEqual(1e-5 * scale));
            const g1 = arr(C, C.f.blockValueAndGrad(thetaC, 1).grad);
            expect(g1).toEqual(gC.slice(9 * 3));
          }
          // G_W(H | H̃) at H̃ = H is f (in exact arithmetic), and the engines agree at another H
          const HtC = C.f.block(thetaC, 1);
          const HtT = T.f.block(thetaT, 1);
          const fk = C.f.value(thetaC);
          expect(relErr(nC.auxiliary(thetaC, HtC), fk)).toBeLessThan(1e-5);
          const H2C = nC.scaleByRatio(HtC, nC.ratio(thetaC, 1), 0.7, false);
          const H2T = nT.scaleByRatio(HtT, nT.ratio(thetaT, 1), 0.7, false);
          expect(close(arr(C, H2C), arr(T, H2T), 2e-5)).toBe(true);
          expect(relErr(nC.auxiliary(C.f.withBlock(thetaC, 1, H2C), HtC), nT.auxiliary(T.f.withBlock(thetaT, 1, H2T), HtT))).toBeLessThan(2e-5);
          expect(nC.carry(thetaC)).toBeNull();
        } finally {
          p.dispose();
        }
      });
});

describe('nmf-mm / nmf-mu on the cpu engine', () => {
  for (const beta of BETAS)
    it(`β = ${beta}: 20 steps agree with tfjs; the state holds no engine carry on cpu`, () => {
      const p = pair(beta, 7 + 10 * beta, 12, 10, 4);
      try {
        for (const alg of [nmfMM, nmfMU]) {
          let [a, b] = [p.thetaC, p.thetaT];
          let [sa, sb] = [alg.init(p.cpu, a, {}), alg.init(p.tfjs, b, {})];
          const fa = [p.cpu.f.value(a)];
          const fb = [p.tfjs.f.value(b)];
          for (let k = 0; k < 20; k++) {
            const ra = alg.step(p.cpu, a, sa, {});
            const rb = tf.tidy(() => alg.step(p.tfjs, b, sb, {}) as unknown as tf.TensorContainer) as unknown as ReturnType<typeof alg.step>;
            expect(ra.state.carry).toBeNull();
            expect(ra.info.exponent).toBe(rb.info.exponent);
            tf.dispose([b as unknown as tf.Tensor[], sb.carry as unknown as tf.Tensor[]]);
            [a, sa, b, sb] = [ra.theta, ra.state, rb.theta, rb.state];
            fa.push(p.cpu.f.value(a));
            fb.push(p.tfjs.f.value(b));
          }
          fa.forEach((f, k) => expect(relErr(f, fb[k])).toBeLessThan(2e-5));
          if (alg === nmfMM) fa.slice(1).forEach((f, k) => expect(f).toBeLessThanOrEqual(fa[k] * (1 + 1e-6)));
          tf.dispose([b as unknown as tf.Tensor[], sb.carry as unknown as tf.Tensor[]]);
          p.thetaT = tfjsVec(p.problem.initialParams());
        }
      } finally {
        p.dispose();
      }
    });

  for (const beta of BETAS)
    it(`β = ${beta}: the surrogate majorizes f along its path and at probes, touches it at the half-step point, its minimiser is t = γ`, () => {
      const p = pair(beta, 101 + 10 * beta, 8, 6, 2);
      try {
        const { cpu: C, thetaC } = p;
        const { ops, f } = C;
        const rng = new Rng(5);
        for (const alg of [nmfMM, nmfMU]) {
          const g = alg.model(C, thetaC, alg.init(C, thetaC, {}), {});
          expect(g.certified).toBe(alg === nmfMM);
          const fk = f.value(thetaC);
          const tol = (x: number): number => 1e-5 * Math.max(Math.abs(x), Math.abs(fk));
          expect(Math.abs(g.value(thetaC) - fk)).toBeLessThanOrEqual(tol(fk));
          const p0 = g.path!(0);
          expect(g.value(p0)).toBe(f.value(p0));
          expect(f.value(p0)).toBeLessThanOrEqual(fk + tol(fk));
          const gamma = mmExponent(beta);
          const pg = g.path!(gamma);
          const gMin = g.value(pg);
          const Hmin = arr(C, f.block(g.minimiser!, 1));
          arr(C, f.block(pg, 1)).forEach((v, j) => expect(Math.abs(v - Hmin[j])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(v))));
          for (let t = -0.5; t <= 1.5 + 1e-9; t += 0.1) {
            const q = g.path!(t);
            const gv = g.value(q);
            expect(gv).toBeGreaterThanOrEqual(f.value(q) - tol(f.value(q)));
            expect(gv).toBeGreaterThanOrEqual(gMin - tol(gMin));
          }
          for (let i = 0; i < 10; i++) {
            const H = ops.fromArray(f.block(p0, 1), arr(C, f.block(p0, 1)).map((h) => h * Math.exp(rng.range(-2, 2))));
            const W = i % 3 === 2 ? ops.fromArray(f.block(p0, 0), arr(C, f.block(p0, 0)).map(() => Math.exp(rng.range(-2, 1)))) : f.block(p0, 0);
            const q = f.withBlock(f.withBlock(p0, 1, H), 0, W);
            expect(g.value(q)).toBeGreaterThanOrEqual(f.value(q) - tol(f.value(q)));
          }
          // the algorithm's own next point is t = stepT on the path
          const next = alg.step(C, thetaC, alg.init(C, thetaC, {}), {}).theta;
          const onPath = arr(C, g.path!(g.stepT!));
          arr(C, next).forEach((v, j) => expect(Math.abs(v - onPath[j])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(v))));
          g.dispose();
        }
      } finally {
        p.dispose();
      }
    });
});
