/**
 * β-NMF on the fused engine (src/core/fused/nmf-engine.ts): the SIMD per-entry kernels give the JS
 * loops' bits; whole runs agree with the tfjs path (same iteration, float32) and with scikit-learn's
 * `mu` solver (tests/fixtures/sklearn-nmf.json); the f-pass cache never changes a result.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExperiment, type ExperimentInput } from '../src/core/config';
import { runExperiment } from '../src/core/experiment';
import { canFuseNMF, FusedNMFExperiment, nmfFactors, runFusedNMFExperiment } from '../src/core/fused';
import { cpuVec } from '../src/core/engines/cpu/vector-ops';
import { createNMFKernels } from '../src/core/fused/nmf-wasm-kernels';
import { updateLoop, weightsLoop } from '../src/core/problems/nmf-loops';
import { Rng } from '../src/core/rng';
import { spawnNodeThread } from '../src/cli/kernel-threads';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const maxRelErr = (a: number[], b: number[]): number => Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.abs(b[i])));

function nmfInput(beta: number, algorithm: string, rows = 37, cols = 53, rank = 5, steps = 30): ExperimentInput {
  return { version: 1, steps, problem: { kind: 'nmf', beta, rank, data: { kind: 'synthetic', rows, cols, trueRank: 4 } }, runs: [{ algorithm }] };
}

describe('SIMD per-entry kernels = the JS loops, bit for bit', () => {
  const memory = new WebAssembly.Memory({ initial: 4 });
  const k = createNMFKernels(memory)!;
  const rng = new Rng(7);
  for (const len of [1, 2, 3, 4, 5, 17, 1000, 1023]) {
    it(`len = ${len} (zeros and tiny/huge entries included)`, () => {
      const heap = new Float32Array(memory.buffer);
      heap.fill(0);
      const P = heap.subarray(0, len);
      const V = heap.subarray(2048, 2048 + len);
      for (let i = 0; i < len; i++) {
        P[i] = i % 7 === 3 ? 0 : Math.exp(rng.range(-30, 30));
        V[i] = i % 5 === 1 ? 0 : Math.exp(rng.range(-30, 30));
      }
      const ref = new Float32Array(2 * len);
      // β = 1: Q only
      weightsLoop(ref, P, V, 1);
      k.weightsKL(0, 2048 * 4, 8192 * 4, len);
      expect(Array.from(heap.subarray(8192, 8192 + len))).toEqual(Array.from(ref.subarray(0, len)));
      // β = 0: Q and D
      weightsLoop(ref, P, V, 0);
      const dOff = Math.ceil(len / 4) * 4;
      k.weightsIS(0, 2048 * 4, 8192 * 4, (8192 + dOff) * 4, len);
      expect(Array.from(heap.subarray(8192, 8192 + len))).toEqual(Array.from(ref.subarray(0, len)));
      expect(Array.from(heap.subarray(8192 + dOff, 8192 + dOff + len))).toEqual(Array.from(ref.subarray(len)));
      // Σ(V − P)² in float64: two partial sums over the pairs, plus an odd last entry's square
      k.sqDiff(0, 2048 * 4, len, 16384 * 4);
      const sums = new Float64Array(memory.buffer, 16384 * 4, 3);
      const got = sums[0] + sums[1] + sums[2];
      expect(sums[2]).toBe(len % 2 ? (V[len - 1] - P[len - 1]) ** 2 : 0);
      let want = 0;
      for (let i = 0; i < len; i++) want += (V[i] - P[i]) ** 2;
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-15 * want);
      // X ⊙ N / D (exponent 1), with and without zeroing entries below float64 eps
      const X = heap.subarray(20000, 20000 + len);
      for (let i = 0; i < len; i++) X[i] = i % 11 === 2 ? 2 ** -60 : Math.exp(rng.range(-20, 20));
      for (const tiny of [false, true]) {
        const want = new Float32Array(len);
        updateLoop(want, X.slice(), V, [0, 0, 1], P, [0, 0, 1], 1, len, 1, tiny, false);
        const Xc = X.slice();
        (tiny ? k.updateTiny : k.update)(20000 * 4, 2048 * 4, 0, len);
        expect(Array.from(heap.subarray(20000, 20000 + len))).toEqual(Array.from(want));
        X.set(Xc);
      }
    });
  }
});

describe('fused NMF runs = the tfjs runs (cpu backend), 30 iterations', () => {
  for (const beta of [0, 0.5, 1, 1.5, 2, 3]) {
    for (const algorithm of ['nmf-mm', 'nmf-mu']) {
      it(`β = ${beta}, ${algorithm}, 37×53, K = 5`, () => {
        const config = loadExperiment(nmfInput(beta, algorithm));
        expect(canFuseNMF(config)).toBe(true);
        const a = runExperiment(config).runs[0];
        const b = runFusedNMFExperiment(config).runs[0];
        expect(b.status).toBe('done');
        expect(b.losses).toHaveLength(31);
        expect(maxRelErr(b.losses, a.losses)).toBeLessThan(2e-5);
      });
    }
  }
  it('blocks that do not divide the matrix (m = 301, n = 77, K = 9) and K = 1', () => {
    for (const [rows, cols, rank] of [[301, 77, 9], [20, 19, 1]]) {
      for (const beta of [0, 1, 2]) {
        const config = loadExperiment(nmfInput(beta, 'nmf-mm', rows, cols, rank, 10));
        expect(maxRelErr(runFusedNMFExperiment(config).runs[0].losses, runExperiment(config).runs[0].losses)).toBeLessThan(2e-5);
      }
    }
  });
  it('a switch mm → mu mid-run, recorded as the tfjs path records it', () => {
    const input = nmfInput(0.5, 'nmf-mm');
    input.runs = [{ algorithm: 'nmf-mm', switches: [{ at: 10, algorithm: 'nmf-mu' }] }];
    const config = loadExperiment(input);
    const a = runExperiment(config).runs[0];
    const b = runFusedNMFExperiment(config).runs[0];
    expect(b.switches).toEqual(a.switches);
    expect(maxRelErr(b.losses, a.losses)).toBeLessThan(2e-5);
  });
});

describe('scikit-learn mu solver, 200 iterations, on the fused engine', () => {
  const fixture: { cases: { name: string; config: unknown; losses: number[] }[] } = JSON.parse(
    readFileSync(new URL('./fixtures/sklearn-nmf.json', import.meta.url), 'utf8'),
  );
  for (const c of fixture.cases) {
    it(c.name, () => {
      const run = runFusedNMFExperiment(loadExperiment(c.config)).runs[0];
      expect(run.status).toBe('done');
      expect(run.losses).toHaveLength(c.losses.length);
      expect(maxRelErr(run.losses, c.losses)).toBeLessThan(1e-4);
    });
  }
});

describe('the f-pass cache', () => {
  for (const beta of [0, 1, 1.5, 2]) {
    it(`β = ${beta}: stepping with or without f after each step gives the same W and H, bit for bit; two runs interleave safely`, () => {
      const input = nmfInput(beta, 'nmf-mm');
      input.runs = [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }];
      const config = loadExperiment(input);
      const withF = new FusedNMFExperiment(config);
      const withoutF = new FusedNMFExperiment(config);
      withF.evaluateAll();
      for (let t = 0; t < 12; t++) {
        withF.step(); // each run: step, then f (which prepares its next W half)
        withoutF.runs.forEach((r) => r.step(withoutF.problem.full));
      }
      for (let i = 0; i < 2; i++) {
        expect(Array.from(nmfFactors(withF.runs[i]).W)).toEqual(Array.from(nmfFactors(withoutF.runs[i]).W));
        expect(Array.from(nmfFactors(withF.runs[i]).H)).toEqual(Array.from(nmfFactors(withoutF.runs[i]).H));
      }
      // f from the cache-preparing pass = f from a fresh workspace at the same (W, H)
      const again = new FusedNMFExperiment(config);
      const r0 = again.runs[0];
      r0.load(r0.algorithm.id, r0.hyper, cpuVec(withF.runs[0].thetaArray()), r0.state);
      expect(r0.evaluate(false, false)).toBe(withF.runs[0].lastLoss);
    });
  }
});

describe('divergence', () => {
  it('a non-finite f stops the run at that step, with a message, as on tfjs (β = 3, entries near float32 max)', () => {
    const V = [[1e30, 1], [1, 1e30]];
    const config = loadExperiment({ version: 1, steps: 5, problem: { kind: 'nmf', beta: 3, rank: 1, data: { kind: 'explicit', V } }, runs: [{ algorithm: 'nmf-mu' }] });
    const a = runExperiment(config).runs[0];
    const b = runFusedNMFExperiment(config).runs[0];
    expect(b.status).toBe('diverged');
    expect(b.divergedAt).toBe(a.divergedAt);
    expect(b.steps).toBe(0);
    expect(b.message).toMatch(/diverged at step 0: the objective became Infinity/);
  });
});

describe('scope', () => {
  it('NMF with multiplicative updates only; MLP configs are not NMF-fusable', () => {
    expect(canFuseNMF(loadExperiment(nmfInput(1, 'nmf-mu')))).toBe(true);
    const mlp = loadExperiment({ version: 1, problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 64 }, hidden: [4] }, runs: [{ algorithm: 'adam' }] });
    expect(canFuseNMF(mlp)).toBe(false);
    expect(() => new FusedNMFExperiment(mlp)).toThrow(/NMF problems/);
  });
});

describe('kernel threads (worker_threads helpers on a shared memory)', () => {
  for (const threads of [2, 3]) {
    it(`${threads} threads give the single-thread W, H and f bit for bit (β = 0, 1, 1.5, 2; blocks split unevenly)`, () => {
      for (const beta of [0, 1, 1.5, 2]) {
        const input = nmfInput(beta, 'nmf-mm', 401, 299, 60, 8); // 7.2M multiply-adds per product: 3 threads' worth
        input.runs = [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }];
        const config = loadExperiment(input);
        const one = runFusedNMFExperiment(config);
        const many = new FusedNMFExperiment(config, { threads, spawn: spawnNodeThread });
        const alone = new FusedNMFExperiment(config);
        try {
          expect(many.workspace.threads).toBe(threads);
          many.evaluateAll();
          for (let t = 0; t < 8; t++) {
            many.step();
            alone.runs.forEach((r) => r.step(alone.problem.full)); // without f: the other code path of the W half
          }
          many.runs.forEach((run, i) => {
            expect(run.lastLoss).toBe(one.runs[i].losses[8]);
            expect(Array.from(nmfFactors(run).W)).toEqual(Array.from(nmfFactors(alone.runs[i]).W));
            expect(Array.from(nmfFactors(run).H)).toEqual(Array.from(nmfFactors(alone.runs[i]).H));
          });
        } finally {
          many.close();
        }
      }
    });
  }
  it('small problems keep to one thread (256×256, K = 16); a closed pool refuses work with a message', () => {
    const small = new FusedNMFExperiment(loadExperiment(nmfInput(2, 'nmf-mm', 256, 256, 16)), { threads: 2, spawn: spawnNodeThread });
    expect(small.workspace.threads).toBe(1);
    small.close();
    const fx = new FusedNMFExperiment(loadExperiment(nmfInput(2, 'nmf-mm', 256, 256, 64)), { threads: 2, spawn: spawnNodeThread });
    expect(fx.workspace.threads).toBe(2);
    fx.close();
    fx.runs[0].step(fx.problem.full);
    expect(fx.runs[0].status).toBe('error');
    expect(fx.runs[0].message).toMatch(/kernel pool was closed/);
  });
});
