/**
 * The MM invariant f(θₖ₊₁) ≤ g(θₖ₊₁|θₖ) ≤ g(θₖ|θₖ) = f(θₖ) for every MM algorithm, as properties over
 * seeded datasets (moons, circles, xor, gaussians, spiral; n = 64…128), network shapes and penalties:
 *  (i)  g(θₖ|θₖ) = f(θₖ) and f(θₖ₊₁) ≤ g(θₖ₊₁|θₖ) ≤ g(θₖ|θₖ) at the step's point; where the bound is global
 *       (Böhning in its block, Gauss–Newton when the network is linear) also g ≥ f inside the step segment
 *       and at random probes along random directions; block surrogates are +∞ off their block;
 *  (ii) monotone decrease over 500 steps, f(θₖ₊₁) ≤ f(θₖ)(1 + 1e-5) + 1e-6.
 * Backtracked Lipschitz (and layer-wise) surrogates and Gauss–Newton on a network are certified at the
 * accepted point only — their random-probe behaviour is measured in tests/surrogate.test.ts.
 * fast-check runs with a fixed seed so that failures reproduce.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALGORITHMS } from '../src/core/algorithms/registry';
import { loadExperiment, parseHyper } from '../src/core/config';
import { runExperiment } from '../src/core/experiment';
import { runFusedExperiment } from '../src/core/fused/fused-experiment';
import { Rng } from '../src/core/rng';
import { surrogatePlane, surrogateSlice } from '../src/core/surrogate';
import { CLASSIFICATION, Fold, MM_IDS, along, lossFor, lossNum, problemFrom } from './mm-helpers';

const FC_SEED = 20261125;

const arbCase = fc.record({
  name: fc.constantFrom(...CLASSIFICATION),
  n: fc.integer({ min: 64, max: 128 }),
  seed: fc.integer({ min: 1, max: 100_000 }),
  hidden: fc.constantFrom<number[]>([], [4], [3, 3]),
  activation: fc.constantFrom('tanh', 'relu', 'sigmoid'),
  l2: fc.constantFrom(0, 1e-3, 1e-2),
  warmup: fc.integer({ min: 0, max: 4 }),
});

/** Global bound (g ≥ f everywhere in the surrogate's domain)? */
function globalBound(id: string, hidden: number[]): boolean {
  return id === 'mm-bohning' || (id === 'mm-gauss-newton' && hidden.length === 0);
}

describe('MM invariants (property tests)', () => {
  it.each(MM_IDS)('%s: g(θₖ|θₖ) = f(θₖ), g ≥ f along the step and where the bound is global', (id) => {
    const before = tf.memory().numTensors;
    fc.assert(
      fc.property(arbCase, (c) => {
        const prob = problemFrom(
          { data: { kind: 'dataset', name: c.name, n: c.n }, hidden: c.hidden, activation: c.activation, loss: lossFor(c.name), l2: c.l2 },
          c.seed,
        );
        const run = new Fold(prob, id);
        try {
          for (let k = 0; k < c.warmup; k++) run.step();
          const fk = run.loss();
          const tol = 1e-5 * Math.max(1, Math.abs(fk));
          const model = run.alg.model(prob.full, run.params, run.state, run.hyper);
          try {
            expect(model.certified).toBe(true);
            expect(Math.abs(model.value(run.params) - fk)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fk)));
            // Along the step: θ(t) = path(t) or the segment to the minimiser. At t = 1 for every algorithm
            // (the MM invariant f(θₖ₊₁) ≤ g(θₖ₊₁|θₖ)); inside the segment only where the bound is global —
            // a backtracked or Gauss–Newton surrogate on a network can dip below f between θₖ and θₖ₊₁
            // (fast-check finds such cases, e.g. Gauss–Newton on a relu [3, 3] net).
            const path =
              model.path ??
              ((t: number) => tf.tidy(() => run.params.map((p, i) => tf.add(p, tf.mul(tf.sub(model.minimiser![i], p), t)))));
            for (const t of globalBound(id, c.hidden) ? [0.25, 0.5, 0.75, 1] : [1]) {
              const p = path(t);
              const [f, g] = [lossNum(prob, p), model.value(p)];
              tf.dispose(p);
              expect(g, `t = ${t}`).toBeGreaterThanOrEqual(f - tol);
              if (t === 1) expect(g).toBeLessThanOrEqual(fk + tol); // the minimiser does not increase g
            }
            // Random probes where the bound is global.
            if (globalBound(id, c.hidden)) {
              const rng = new Rng(c.seed);
              const block = id === 'mm-bohning' ? [run.params.length - 2, run.params.length - 1] : run.params.map((_, i) => i);
              for (let j = 0; j < 3; j++) {
                const dir = run.params.map((p, i) =>
                  block.includes(i) ? tf.tensor(Float32Array.from({ length: p.size }, () => rng.normal()), p.shape) : tf.zerosLike(p),
                );
                for (const r of [0.03, 0.3, 3]) {
                  const q = along(run.params, dir, r);
                  const [f, g] = [lossNum(prob, q), model.value(q)];
                  tf.dispose(q);
                  expect(g, `probe r = ${r}`).toBeGreaterThanOrEqual(f - tol);
                }
                tf.dispose(dir);
              }
            }
            // Block surrogates are +∞ as soon as a parameter outside their block moves.
            if ((id === 'mm-bohning' || id === 'mm-layerwise') && c.hidden.length > 0) {
              const outside = id === 'mm-bohning' ? 0 : run.params.length - 4; // layer-wise output-first: last layer's block
              const q = run.params.map((p, i) => (i === outside ? tf.add(p, 0.01) : p.clone()));
              expect(model.value(q)).toBe(Infinity);
              tf.dispose(q);
            }
          } finally {
            model.dispose();
          }
        } finally {
          run.dispose();
          prob.dispose();
        }
      }),
      { numRuns: 30, seed: FC_SEED },
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  // Both engines; most cases on the cpu engine (the lab's default, ~10× faster here), two on tfjs.
  it.each([
    ['cpu', runFusedExperiment, 6],
    ['tfjs', runExperiment, 2],
  ] as const)('monotone decrease over 500 steps for every MM algorithm (%s engine)', (_engine, run, numRuns) => {
    fc.assert(
      fc.property(
        fc.record({
          name: fc.constantFrom(...CLASSIFICATION),
          n: fc.integer({ min: 64, max: 96 }),
          seed: fc.integer({ min: 1, max: 100_000 }),
          hidden: fc.constantFrom<number[]>([], [4], [3, 3]),
          l2: fc.constantFrom(0, 1e-3),
        }),
        (c) => {
          const config = loadExperiment({
            version: 1,
            problem: { kind: 'mlp', data: { kind: 'dataset', name: c.name, n: c.n }, hidden: c.hidden, loss: lossFor(c.name), l2: c.l2 },
            seeds: { data: c.seed, init: c.seed + 1, batch: 1 },
            runs: MM_IDS.map((algorithm) => ({ algorithm })),
            steps: 500,
          });
          const result = run(config, { recordTest: false });
          for (const run of result.runs) {
            expect(run.status, `${run.algorithm}: ${run.message ?? ''}`).toBe('done');
            expect(run.losses.length).toBe(501);
            for (let k = 0; k < 500; k++) {
              const [a, b] = [run.losses[k], run.losses[k + 1]];
              expect(b, `${run.algorithm} step ${k + 1}: ${a} → ${b}`).toBeLessThanOrEqual(a * (1 + 1e-5) + 1e-6);
            }
            expect(run.losses[500]).toBeLessThan(run.losses[0]);
          }
        },
      ),
      { numRuns, seed: FC_SEED },
    );
  });
});

describe('MM algorithms: registry, hyper-parameters, purity, memory', () => {
  it('are registered as the mm family for MLP problems, with strict hyper schemas', () => {
    for (const id of MM_IDS) {
      const alg = ALGORITHMS[id];
      expect(alg.id).toBe(id);
      expect(alg.family).toBe('mm');
      // Only the Lipschitz MM needs nothing but f and ∇f, so it also runs on the 2-D test functions.
      expect(alg.problems).toEqual(id === 'mm-lipschitz' ? ['mlp', 'function'] : ['mlp']);
      expect(parseHyper(id, {}, 'mlp').ok).toBe(true);
      const unknown = parseHyper(id, { lr: 0.1 }, 'mlp');
      expect(unknown.ok).toBe(false);
      expect(parseHyper(id, {}, 'nmf').ok).toBe(false);
    }
    const bad = (id: string, h: object) => {
      const r = parseHyper(id, h, 'mlp', ['runs', 0]);
      return r.ok ? [] : r.errors;
    };
    expect(bad('mm-lipschitz', { L0: 0 })).toEqual(['runs[0].hyper.L0: L0 must be > 0']);
    expect(bad('mm-lipschitz', { decrease: 0.5 })).toEqual(['runs[0].hyper.decrease: decrease must be in [1, 100]']);
    expect(bad('mm-lipschitz', { maxBacktracks: 2.5 })[0]).toMatch(/maxBacktracks must be an integer/);
    expect(bad('mm-layerwise', { order: 'sideways' })).toEqual(["runs[0].hyper.order: order must be 'output-first' or 'input-first'"]);
    expect(bad('mm-bohning', { damping: -1 })).toEqual(['runs[0].hyper.damping: damping must be in [0, 1e4]']);
    expect(bad('mm-gauss-newton', { increase: 1 })).toEqual(['runs[0].hyper.increase: increase must be in (1, 1000]']);
    expect(bad('mm-gauss-newton', { maxDirect: 5000 })).toEqual(['runs[0].hyper.maxDirect: maxDirect must be in [0, 2000]']);
  });

  it.each(MM_IDS)('%s: steps neither mutate nor dispose their inputs and leak nothing', (id) => {
    const prob = problemFrom({ data: { kind: 'dataset', name: 'spiral', n: 64 }, hidden: [4], loss: 'softmax_ce', l2: 1e-3 }, 3);
    const run = new Fold(prob, id);
    run.step();
    const before = tf.memory().numTensors;
    const p0 = run.params.map((p) => Array.from(p.dataSync()));
    const s0 = JSON.stringify(run.state, (_k, v) => (v instanceof tf.Tensor ? Array.from(v.dataSync()) : v));
    // A step that is thrown away: inputs intact, nothing left behind once the result is disposed.
    const out = run.alg.step(prob.full, run.params, run.state, run.hyper);
    expect(run.params.every((p) => !p.isDisposed)).toBe(true);
    expect(run.params.map((p) => Array.from(p.dataSync()))).toEqual(p0);
    expect(JSON.stringify(run.state, (_k, v) => (v instanceof tf.Tensor ? Array.from(v.dataSync()) : v))).toBe(s0);
    const keep = new Set<number>();
    const mark = (x: unknown): void => {
      if (x instanceof tf.Tensor) keep.add(x.id);
      else if (x && typeof x === 'object') Object.values(x).forEach(mark);
    };
    mark(run.params);
    mark(run.state);
    const drop = (x: unknown): void => {
      if (x instanceof tf.Tensor) {
        if (!keep.has(x.id)) x.dispose();
      } else if (x && typeof x === 'object') Object.values(x).forEach(drop);
    };
    drop(out.params);
    drop(out.state);
    expect(tf.memory().numTensors).toBe(before);
    // Many steps plus the chart helpers: the tensor count does not grow.
    for (let k = 0; k < 30; k++) run.step();
    const mid = tf.memory().numTensors;
    for (let k = 0; k < 30; k++) run.step();
    const slice = surrogateSlice(prob.full, run.alg, run.params, run.state, run.hyper, { points: 7 });
    const plane = surrogatePlane(prob.full, run.alg, run.params, run.state, run.hyper, { points: 4 });
    run.alg.model(prob.full, run.params, run.state, run.hyper).dispose();
    expect(tf.memory().numTensors).toBe(mid);
    expect(slice.certified).toBe(true);
    expect(plane.certified).toBe(true);
    run.dispose();
    prob.dispose();
  });

  it.each(['moons-mm', 'logistic-bohning', 'spiral-softmax-mm', 'spiral-mm-fused'])('examples/%s.json parses and its MM runs descend', (name) => {
    const input = JSON.parse(readFileSync(new URL(`../examples/${name}.json`, import.meta.url), 'utf8'));
    const config = loadExperiment({ ...input, steps: 25 });
    expect(config.runs.some((r) => ALGORITHMS[r.algorithm].family === 'mm')).toBe(true);
    const result = runExperiment(config, { recordTest: false });
    for (const run of result.runs) {
      expect(run.status, `${run.id}: ${run.message ?? ''}`).toBe('done');
      if (ALGORITHMS[run.algorithm].family !== 'mm') continue;
      for (let k = 0; k < 25; k++) expect(run.losses[k + 1]).toBeLessThanOrEqual(run.losses[k] * (1 + 1e-5) + 1e-6);
    }
  });

  it('a non-finite objective is refused without looping forever', () => {
    const prob = problemFrom({ data: { kind: 'dataset', name: 'moons', n: 64 }, hidden: [], loss: 'bce' }, 2);
    for (const id of ['mm-lipschitz', 'mm-layerwise', 'mm-gauss-newton']) {
      const run = new Fold(prob, id, id === 'mm-gauss-newton' ? { maxTries: 5 } : { maxBacktracks: 5 });
      // Poison θ: f(θ) = NaN. The step must return (unchanged θ, accepted: false), not spin.
      tf.dispose(run.params);
      run.params = [tf.fill([2, 1], NaN), tf.zeros([1])];
      run.step();
      expect(run.info.accepted).toBe(false);
      run.dispose();
    }
    prob.dispose();
  });
});
