/**
 * The fast NMF path (src/core/problems/nmf-kernels.ts): fused cpu/wasm kernels against the composite
 * tfjs-op path (what webgl/webgpu run), both against scikit-learn's fixture, on the cpu and the wasm
 * backends; the W·H memo shared by a step and f(θ); differentiability of the loss under a tape.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { setNodeBackend } from '../src/cli/backend';
import * as tfjsNMF from '../src/core/engines/tfjs/nmf-ops';
import { nmfIterate } from '../src/core/algorithms/nmf-updates';
import { tensorsOf, tfjsVec } from '../src/core/engines/tfjs/vector-ops';
import type { NMFObjective } from '../src/core/problems/nmf';
import { loadExperiment, type NMFProblemConfig } from '../src/core/config';
import { runExperiment } from '../src/core/experiment';
import { divergenceLoop, fusedNMFKernels, setFusedNMFKernels } from '../src/core/problems/nmf-kernels';
import { betaDivergence, buildNMF, EPSILON } from '../src/core/problems/nmf';
import { Rng } from '../src/core/rng';
import { ops, paramsOf, tfjsRun } from './tfjs-run';

const fixture: { cases: { name: string; config: unknown; losses: number[] }[] } = JSON.parse(
  readFileSync(new URL('./fixtures/sklearn-nmf.json', import.meta.url), 'utf8'),
);
const maxRelErr = (a: number[], b: number[]): number => Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.abs(b[i])));
const SEEDS = { data: 1, init: 2, batch: 3 };

/** One iteration on the tfjs engine (the engine algorithms' nmfIterate) and its carry, W⁺H⁺ (β ≠ 2). */
function nmfStep(obj: NMFObjective, W: tf.Tensor2D, H: tf.Tensor2D, e: number): { W: tf.Tensor2D; H: tf.Tensor2D; WH: tf.Tensor2D | null } {
  const ops = tfjsNMF.tfjsNMFOps(obj);
  const next = nmfIterate(ops, tfjsVec([W, H]), e);
  const carry = ops.carry(next);
  const [W1, H1] = tensorsOf(next) as tf.Tensor2D[];
  return { W: W1, H: H1, WH: carry ? (tensorsOf(carry)[0] as tf.Tensor2D) : null };
}

function randomMatrix(rng: Rng, m: number, n: number, lo: number, hi: number): number[][] {
  return Array.from({ length: m }, () => Array.from({ length: n }, () => Math.exp(rng.range(Math.log(lo), Math.log(hi)))));
}
function randomConfig(seed: number, beta: number, m = 7, n = 6, K = 3, zeros = false): NMFProblemConfig {
  const rng = new Rng(seed);
  const V = randomMatrix(rng, m, n, 0.05, 5).map((r) => r.map((v, j) => (zeros && j % 3 === 0 ? 0 : v)));
  return { kind: 'nmf', beta, rank: K, data: { kind: 'explicit', V }, init: { W0: randomMatrix(rng, m, K, 0.1, 2), H0: randomMatrix(rng, K, n, 0.1, 2) } };
}

afterEach(() => {
  setFusedNMFKernels(true);
});

describe('fused kernels and the composite path both reproduce scikit-learn (200 iterations, 1e-4)', () => {
  for (const fused of [true, false])
    it(`${fused ? 'fused' : 'composite'} path, cpu backend`, () => {
      setFusedNMFKernels(fused);
      for (const c of fixture.cases) {
        const r = runExperiment(loadExperiment(c.config));
        expect(r.runs[0].status, c.name).toBe('done');
        expect(maxRelErr(r.runs[0].losses, c.losses), c.name).toBeLessThan(1e-4);
      }
    });

  it('fused path, wasm backend (the CLI default for NMF)', async () => {
    await setNodeBackend('wasm');
    try {
      expect(fusedNMFKernels()).toBe(true);
      for (const c of fixture.cases) {
        const r = runExperiment(loadExperiment(c.config));
        expect(r.backend).toBe('wasm');
        expect(maxRelErr(r.runs[0].losses, c.losses), c.name).toBeLessThan(1e-4);
      }
    } finally {
      await tf.setBackend('cpu');
    }
  });
});

describe('fused = composite, per iteration', () => {
  it('one iteration (W, H, W⁺H⁺) and f agree to float32 rounding for β ∈ [−1, 3], V with and without zeros', () => {
    for (const beta of [-1, -0.5, 0, 0.3, 0.5, 1, 1.5, 2, 2.5, 3])
      for (const zeros of [false, true]) {
        const p = buildNMF(randomConfig(17 + Math.round(beta * 10), beta, 7, 6, 3, zeros), SEEDS);
        const [W, H] = p.initialParams() as [tf.Tensor2D, tf.Tensor2D];
        const out = (fused: boolean) => {
          setFusedNMFKernels(fused);
          const s = nmfStep(p.full, W, H, beta < 1 ? 1 / (2 - beta) : 1);
          const f = tf.tidy(() => p.full.loss([s.W, s.H]).dataSync()[0]);
          const vals = [s.W, s.H, ...(s.WH ? [s.WH] : [])].map((t) => Array.from(t.dataSync()));
          tf.dispose([s.W, s.H, s.WH ?? []]);
          return { f, vals };
        };
        const a = out(true);
        const b = out(false);
        // (β < 0 with a zero column of V: H's column → 0, WH = 0 there and f = −∞ on both paths, as in sklearn)
        const close = (x: number, y: number): boolean => x === y || Math.abs(x - y) <= 1e-5 * Math.abs(y) + 1e-30;
        expect(close(a.f, b.f), `β=${beta} zeros=${zeros}: f ${a.f} vs ${b.f}`).toBe(true);
        a.vals.forEach((arr, k) => arr.forEach((v, i) => expect(close(v, b.vals[k][i]), `β=${beta} zeros=${zeros}`).toBe(true)));
        tf.dispose([W, H]);
        p.dispose();
      }
  });

  it('the β = 0 log-of-products sum matches the per-entry sum over 80 decades (no overflow, NaN propagates)', () => {
    const rng = new Rng(5);
    const n = 5000;
    const V = new Float32Array(n);
    const WH = new Float32Array(n);
    const mask = new Float32Array(n);
    let direct = 0;
    for (let i = 0; i < n; i++) {
      V[i] = Math.exp(rng.range(-15, 15));
      WH[i] = i % 97 === 0 ? 0 : Math.exp(rng.range(-40, 40));
      mask[i] = V[i] > EPSILON ? 1 : 0;
      if (!mask[i]) direct -= 1;
      else {
        const x = V[i] / (WH[i] === 0 ? EPSILON : WH[i]);
        direct += x - Math.log(x) - 1;
      }
    }
    expect(Math.abs(divergenceLoop(WH, V, mask, 0) - direct)).toBeLessThanOrEqual(1e-12 * Math.abs(direct));
    WH[10] = NaN;
    expect(divergenceLoop(WH, V, mask, 0)).toBeNaN();
  });
});

describe('W·H memo and tapes', () => {
  afterAll(() => setFusedNMFKernels(true));

  it('f(θ) after a step reuses the step’s W⁺H⁺ and equals a fresh evaluation bit for bit', () => {
    const p = buildNMF(randomConfig(3, 0.5), SEEDS);
    const run = tfjsRun('r', 'nmf-mm', {}, p);
    run.step(ops(p.full, run));
    const [W, H] = paramsOf(run);
    const WH = p.full.products.get(W, H);
    expect(WH).not.toBeNull();
    const viaMemo = tf.tidy(() => p.full.loss(paramsOf(run)).dataSync()[0]);
    const fresh = tf.tidy(() => betaDivergence(p.full.V, p.full.mask, W, H, 0.5).dataSync()[0]);
    expect(viaMemo).toBe(fresh);
    const old = paramsOf(run);
    run.step(ops(p.full, run)); // disposes the old state's W·H (and the old θ)
    expect(p.full.products.get(old[0], old[1])).toBeNull();
    run.dispose();
    p.dispose();
  });

  it('under tf.grad the loss runs on tfjs ops (no fused kernel, no memo): β = 2 gives −Wᵀ(V − WH)', () => {
    // (β ≠ 2 goes through tf.equal, which has no gradient in tfjs: as before the fused kernels)
    const p = buildNMF(randomConfig(4, 2), SEEDS);
    const [W, H] = p.initialParams();
    const g = tf.grad((h: tf.Tensor) => p.full.loss([W, h]))(H);
    const expected = tf.tidy(() => tf.neg(tf.matMul(W, tf.sub(p.full.V, tf.matMul(W, H)), true, false)));
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(g, expected))).dataSync()[0])).toBeLessThan(1e-4);
    expected.dispose();
    const [v1] = tf.tidy(() => p.full.loss([W, H]).dataSync());
    setFusedNMFKernels(false);
    const [v2] = tf.tidy(() => p.full.loss([W, H]).dataSync());
    expect(Math.abs(v1 - v2)).toBeLessThanOrEqual(1e-5 * Math.abs(v2));
    tf.dispose([g, W, H]);
    p.dispose();
  });
});
