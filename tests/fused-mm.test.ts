/**
 * The Lipschitz MM algorithms on the fused engine (src/core/fused/mm-steps.ts): the same trajectories
 * as the tfjs versions, the MM invariant (monotone decrease) on random problems, the hand-over of L and
 * the shrink flags to tfjs and back, a certified surrogate on the cpu engine itself, and the worker session.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findTfjsAlgorithm as findAlgorithm } from '../src/core/engines/tfjs/algorithms';
import { fSlack } from '../src/core/algorithms/lipschitz';
import { loadExperiment, type ExperimentConfig } from '../src/core/config';
import { Experiment, runExperiment } from '../src/core/experiment';
import { canFuse, FusedExperiment, fromTfjs, runFusedExperiment, toTfjs, type KernelKind } from '../src/core/fused';
import { harness } from './session-harness';

const KERNELS: KernelKind[] = ['wasm-simd', 'js'];

function config(name: string, algorithm: string, extra: Record<string, unknown> = {}, steps = 50, hyper: Record<string, unknown> = {}): ExperimentConfig {
  const loss = name === 'sine' ? 'mse' : name === 'spiral' ? 'softmax_ce' : 'bce';
  return loadExperiment({
    version: 1,
    problem: { kind: 'mlp', data: { kind: 'dataset', name, n: 120, noise: 0.1, classes: name === 'spiral' ? 3 : 2 }, hidden: [8, 8], activation: 'tanh', loss, ...extra },
    runs: [{ algorithm, hyper }],
    steps,
  });
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
const worst = (a: number[], b: number[], upTo: number): number => Math.max(...a.slice(0, upTo + 1).map((x, k) => rel(x, b[k])));

describe('fused mm-lipschitz against the tfjs version', () => {
  const cases = ['moons', 'circles', 'xor', 'spiral', 'sine'].flatMap((d) => KERNELS.map((k) => [d, k] as const));
  it.each(cases)('%s (%s kernels): the same L at every step and f within 1e-4 over 50 steps', (name, kernels) => {
    const cfg = config(name, 'mm-lipschitz');
    expect(canFuse(cfg)).toBe(true);
    const exp = new Experiment(cfg);
    const fx = new FusedExperiment(cfg, { kernels });
    fx.evaluateAll();
    try {
      for (let k = 0; k < 50; k++) {
        exp.step();
        fx.step();
        const [ia, ib] = [exp.runs[0].lastInfo as Record<string, number>, fx.runs[0].lastInfo as Record<string, number>];
        expect(ib.L, `L at step ${k + 1}`).toBe(ia.L);
        expect(ib.accepted).toBe(ia.accepted);
        expect(rel(fx.runs[0].lastLoss, ia.lossAfter), `f at step ${k + 1}`).toBeLessThan(1e-4);
      }
    } finally {
      exp.dispose();
    }
  });

  it('on mini-batches (the same batch order; each step backtracks on its own batch): the same L and f within 1e-4 over 30 steps', () => {
    const cfg = config('moons', 'mm-lipschitz', { batchSize: 32 }, 30);
    const a = runExperiment(cfg, { recordTest: false }).runs[0];
    const b = runFusedExperiment(cfg, { recordTest: false }).runs[0];
    expect(b.status).toBe('done');
    expect(worst(b.losses, a.losses, 30)).toBeLessThan(1e-4);
  });

  it('the power-iteration seed of L agrees with the tfjs one', () => {
    const cfg = config('moons', 'mm-lipschitz', {}, 5, { powerIterations: 20 });
    const exp = new Experiment(cfg);
    const fx = new FusedExperiment(cfg);
    try {
      const La = (exp.runs[0].state as { L: number }).L;
      const Lb = fx.runs[0].state.L as number;
      expect(La).toBeGreaterThan(0);
      expect(rel(Lb, La)).toBeLessThan(1e-2);
    } finally {
      exp.dispose();
    }
  });
});

describe('fused mm-layerwise against the tfjs version', () => {
  // A sweep takes one backtracking decision per layer; after ~15–30 steps a float32 difference in f
  // flips one (L_l vs 2L_l) and the trajectories part, each still monotone. So: the first 10 steps.
  const cases = ['moons', 'circles', 'spiral'].flatMap((d) => (['output-first', 'input-first'] as const).map((o) => [d, o] as const));
  it.each(cases)('%s, %s: the same L_l per layer and f within 1e-4 over the first 10 sweeps', (name, order) => {
    const cfg = config(name, 'mm-layerwise', {}, 10, { order });
    const a = runExperiment(cfg).runs[0];
    const fx = new FusedExperiment(cfg);
    fx.evaluateAll();
    const b: number[] = [fx.runs[0].lastLoss];
    const exp = new Experiment(cfg);
    try {
      for (let k = 0; k < 10; k++) {
        exp.step();
        fx.step();
        b.push(fx.runs[0].lastLoss);
        const [ia, ib] = [exp.runs[0].lastInfo as Record<string, number>, fx.runs[0].lastInfo as Record<string, number>];
        for (const l of [1, 2, 3]) expect(ib[`L${l}`], `L${l} at sweep ${k + 1}`).toBe(ia[`L${l}`]);
      }
    } finally {
      exp.dispose();
    }
    expect(worst(b, a.losses, 10)).toBeLessThan(1e-4);
  });
});

describe('MM invariant on the fused engine (property test)', () => {
  it('f never increases over 500 steps (mm-lipschitz, mm-layerwise both orders), on random datasets, seeds, shapes and penalties', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('moons', 'circles', 'xor', 'gaussians', 'spiral', 'sine'),
        fc.constantFrom('mm-lipschitz', 'mm-layerwise:output-first', 'mm-layerwise:input-first'),
        fc.integer({ min: 1, max: 1000 }),
        fc.constantFrom([4], [6, 5], [8, 8]),
        fc.constantFrom('tanh', 'relu', 'sigmoid'),
        fc.constantFrom(0, 1e-3),
        (name, alg, seed, hidden, activation, l2) => {
          const [algorithm, order] = alg.split(':');
          const loss = name === 'sine' ? 'mse' : name === 'spiral' || name === 'gaussians' ? 'softmax_ce' : 'bce';
          const cfg = loadExperiment({
            version: 1,
            problem: { kind: 'mlp', data: { kind: 'dataset', name, n: 64, noise: 0.15 }, hidden, activation, loss, l2 },
            seeds: { data: seed, init: seed + 1, batch: 0 },
            runs: [{ algorithm, hyper: order ? { order } : {} }],
            steps: 500,
          });
          const run = runFusedExperiment(cfg, { recordTest: false }).runs[0];
          expect(run.status, run.message).toBe('done');
          for (let k = 1; k < run.losses.length; k++) {
            const [prev, cur] = [run.losses[k - 1], run.losses[k]];
            expect(cur, `${name} ${alg} seed ${seed}: f rose at step ${k}`).toBeLessThanOrEqual(prev + fSlack(prev));
          }
        },
      ),
      { numRuns: 24, seed: 20261130 },
    );
  });
});

describe('monotone down to the float32 floor', () => {
  it('as f falls below 1e-10 it still never rises by more than a relative 1e-5 (the slack is relative to f)', () => {
    const cfg = loadExperiment({
      version: 1,
      problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 256, noise: 0.1 }, hidden: [8, 8], activation: 'tanh', loss: 'bce' },
      runs: [{ algorithm: 'mm-lipschitz' }, { algorithm: 'mm-layerwise' }],
      steps: 3000,
    });
    for (const run of runFusedExperiment(cfg, { recordTest: false }).runs) {
      expect(Math.min(...run.losses)).toBeLessThan(1e-10);
      for (let k = 1; k < run.losses.length; k++)
        expect(run.losses[k], `${run.id}: f rose at step ${k}`).toBeLessThanOrEqual(run.losses[k - 1] * (1 + 1e-5));
    }
  });
});

describe('hand-over of the MM state between the fused engine and tfjs', () => {
  it('toTfjs gives the tfjs state layout; a tfjs step from it equals the fused step; fromTfjs restores it', () => {
    for (const algorithm of ['mm-lipschitz', 'mm-layerwise']) {
      const cfg = config('moons', algorithm, {}, 21);
      const fx = new FusedExperiment(cfg);
      fx.evaluateAll();
      for (let k = 0; k < 20; k++) fx.step();
      const run = fx.runs[0];
      const { params, state, t } = toTfjs(run);
      const exp = new Experiment(cfg);
      try {
        const alg = findAlgorithm(algorithm)!;
        const s = state as Record<string, unknown>;
        // One state layout on both engines: the algorithm is written once.
        expect(s).toEqual({ t: 20, L: run.state.L, shrink: run.state.shrink });
        expect(t).toBe(20);
        // One more step on each side from the same θ and state.
        const out = alg.step(exp.problem.tfjs.full, params, state as never, run.hyper as never);
        fx.step();
        const fusedTheta = Array.from(run.thetaArray());
        const tfjsTheta = out.params.flatMap((p) => Array.from(p.dataSync()));
        expect(Math.max(...tfjsTheta.map((x, i) => Math.abs(x - fusedTheta[i])))).toBeLessThan(1e-5);
        expect((out.state as { L: unknown }).L).toEqual(run.state.L);
        // Back: a fresh fused run loaded from the tfjs values has the same θ and MM state.
        const other = new FusedExperiment(cfg).runs[0];
        fromTfjs(other, out.params, out.state);
        expect(Array.from(other.thetaArray())).toEqual(tfjsTheta);
        expect(other.state).toEqual(out.state);
        tf.dispose([params, out.params, state, out.state]);
      } finally {
        exp.dispose();
      }
    }
  });

  it("a fused run's surrogate (built by the tfjs algorithm from the handed-over state) is certified and touches f at θₖ", () => {
    const cfg = config('circles', 'mm-lipschitz', {}, 30);
    const fx = new FusedExperiment(cfg);
    fx.evaluateAll();
    for (let k = 0; k < 30; k++) fx.step();
    const { params, state } = toTfjs(fx.runs[0]);
    const exp = new Experiment(cfg);
    try {
      const model = findAlgorithm('mm-lipschitz')!.model!(exp.problem.tfjs.full, params, state as never, fx.runs[0].hyper as never);
      expect(model.certified).toBe(true);
      expect(rel(model.value(params), fx.runs[0].lastLoss)).toBeLessThan(1e-5);
      model.dispose?.();
    } finally {
      tf.dispose([params, state]);
      exp.dispose();
    }
  });
});

describe('worker session: MM runs on the fused engine', () => {
  it('setBackend carries L and the shrink flags to tfjs and back; a crash restore replays the same curve', async () => {
    const cfg = loadExperiment({
      version: 1,
      problem: { kind: 'mlp', data: { kind: 'dataset', name: 'circles', n: 64 }, hidden: [6, 4] },
      runs: [{ algorithm: 'mm-lipschitz' }, { algorithm: 'mm-layerwise', hyper: { order: 'input-first' } }],
      steps: 1000,
    });
    const h = harness();
    await h.send({ type: 'start', config: cfg, backend: 'fused', play: false });
    await h.send({ type: 'step', n: 12 });
    const fx = h.s.experiment!;
    const mm = fx.runs.map((r) => structuredClone(r.state) as { L: number | number[]; shrink: boolean | boolean[] });
    await h.send({ type: 'setBackend', backend: 'cpu' });
    const exp = h.s.experiment!;
    expect((exp.runs[0].state as { L: number }).L).toBe(mm[0].L);
    expect((exp.runs[0].state as { shrink: boolean }).shrink).toBe(mm[0].shrink);
    expect((exp.runs[1].state as { L: number[] }).L).toEqual(mm[1].L);
    await h.send({ type: 'step', n: 6 });
    const L18 = exp.runs.map((r) => structuredClone((r.state as { L: unknown }).L));
    await h.send({ type: 'setBackend', backend: 'fused' });
    expect(h.s.experiment!.runs[0].state.L).toEqual(L18[0]);
    expect(h.s.experiment!.runs[1].state.L).toEqual(L18[1]);
    await h.send({ type: 'step', n: 6 });
    for (const i of [0, 1]) {
      const c = h.curve(i).loss;
      expect(c).toHaveLength(24);
      // Monotone across both hand-overs (the MM invariant does not care which engine took the step).
      for (let k = 1; k < c.length; k++) expect(c[k]).toBeLessThanOrEqual(c[k - 1] * (1 + 1e-6));
    }
    // Restoring after a crash (resumeAt) on the fused engine gives back the all-fused curve.
    const ref = runFusedExperiment({ ...cfg, steps: 30 });
    const r = harness();
    await r.send({ type: 'start', config: { ...cfg, steps: 30 }, backend: 'fused', play: true, resumeAt: 10 });
    for (const i of [0, 1]) expect(r.curve(i).loss).toEqual(Array.from(Float32Array.from(ref.runs[i].losses.slice(11))));
  });

  it('a hyper-parameter change that keeps the state keeps L; a switch to the other MM algorithm restarts it', async () => {
    const cfg = loadExperiment({
      version: 1,
      problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 64 }, hidden: [6] },
      runs: [{ algorithm: 'mm-lipschitz' }],
      steps: 1000,
    });
    const h = harness();
    await h.send({ type: 'start', config: cfg, backend: 'fused', play: false });
    await h.send({ type: 'step', n: 8 });
    const run = h.s.experiment!.runs[0];
    const L = run.state.L;
    await h.send({ type: 'setHyper', run: 0, hyper: { decrease: 4 } });
    expect(run.state.L).toBe(L);
    expect(run.hyper.decrease).toBe(4);
    await h.send({ type: 'switchAlgorithm', run: 0, algorithm: 'mm-layerwise', hyper: { L0: 0.5 } });
    expect(h.s.engine).toBe('cpu');
    expect(h.s.experiment!.runs[0].state).toEqual({ t: 0, L: [0.5, 0.5], shrink: [false, false] });
  });

  it("'auto' picks the fused engine for mm-lipschitz / mm-layerwise vs Adam; curves equal the headless fused fold; L is streamed", async () => {
    const cfg = loadExperiment({
      version: 1,
      problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 64 }, hidden: [6] },
      runs: [{ algorithm: 'mm-lipschitz' }, { algorithm: 'mm-layerwise' }, { algorithm: 'adam', hyper: { lr: 0.05 } }],
      steps: 40,
    });
    const h = harness();
    await h.send({ type: 'start', config: cfg, backend: 'auto', play: true });
    const ready = h.of('ready')[0];
    expect(ready.backend).toBe('fused');
    const ref = runFusedExperiment(cfg);
    for (let i = 0; i < 3; i++) {
      const blocks = h.msgs.flatMap((m) => (m.type === 'progress' ? m.blocks.filter((b) => b.run === i) : []));
      const loss = blocks.flatMap((b) => Array.from(b.loss));
      expect(loss).toEqual(Array.from(Float32Array.from(ref.runs[i].losses.slice(1))));
      if (i === 0) expect(blocks.every((b) => b.extras?.L && b.extras.L.every((x) => x > 0))).toBe(true);
      if (i === 1) expect(blocks.every((b) => b.extras?.L1 && b.extras?.L2)).toBe(true);
    }
  });
});
