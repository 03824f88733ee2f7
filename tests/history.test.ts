/**
 * The step scrubber's history (src/worker/history.ts): thinning keeps step 0 and the newest kept step
 * and spans the run at doubling spacing, the count and byte bounds hold, kept steps are copies, and the
 * surrogate and views rebuilt at a kept step are exactly what was computed live at that step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadExperiment, type ExperimentConfig } from '../src/core/config';
import * as tf from '@tensorflow/tfjs';
import { Experiment } from '../src/core/experiment';
import { FusedExperiment } from '../src/core/fused';
import { History, KeptVec, RunHistory, type KeptStep } from '../src/worker/history';
import { computeSurrogate } from '../src/worker/surrogate-adapter';
import { ModelViews } from '../src/worker/views';
import type { MLPGridView } from '../src/worker/protocol';
import { harness } from './session-harness';

const entry = (step: number, bytes = 100): KeptStep => ({ step, algorithm: null as never, hyper: {}, theta: new Float32Array(0), state: {}, bytes });

/** Feeds steps 0, k, 2k, … (tick boundaries of k steps) up to `last`, recording what is due. */
function feed(h: RunHistory, k: number, last: number, bytes = 100): number {
  let added = -1;
  for (let t = 0; t <= last; t += k)
    if (h.wants(t)) {
      h.add(entry(t, bytes));
      added = t;
    }
  return added;
}

describe('RunHistory thinning', () => {
  it('keeps step 0 and the newest kept step, at most maxCount steps, at a spacing that doubles', () => {
    const h = new RunHistory(8, 1e9);
    feed(h, 1, 1000);
    expect(h.steps[0]).toBe(0);
    expect(h.steps.length).toBeLessThanOrEqual(8);
    expect(h.steps[h.steps.length - 1]).toBeGreaterThan(1000 - 2 * h.spacing);
    expect(Math.log2(h.spacing) % 1).toBe(0);
    // Evenly spread: no gap between kept steps is more than 2× the spacing (+ the forced newest step).
    const gaps = h.steps.slice(1).map((s, i) => s - h.steps[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * h.spacing);
    expect(Math.min(...gaps.slice(0, -1))).toBeGreaterThanOrEqual(h.spacing);
  });

  it('property: for any tick size, run length and bounds, step 0 is kept, steps ascend, and both bounds hold', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 2, max: 64 }), fc.integer({ min: 2, max: 40 }), (k, last, maxCount, perBytes) => {
        const h = new RunHistory(maxCount, perBytes * 100);
        const newest = feed(h, k, last);
        expect(h.steps[0]).toBe(0);
        expect(h.steps.every((s, i) => i === 0 || s > h.steps[i - 1])).toBe(true);
        expect(h.steps.length).toBeLessThanOrEqual(Math.max(2, maxCount));
        expect(h.bytes).toBeLessThanOrEqual(perBytes * 100);
        // The newest kept step is never thinned away.
        expect(h.steps[h.steps.length - 1]).toBe(newest);
      }),
      { numRuns: 300 },
    );
  });

  it('the pinned step (shown by the scrubber) survives thinning while the run goes on; unpinned, it may go', () => {
    const h = new RunHistory(8, 1e9);
    feed(h, 1, 100);
    const shown = h.steps[3];
    expect(shown).toBeGreaterThan(0);
    h.pinned = shown;
    for (let t = 101; t <= 5000; t++) if (h.wants(t)) h.add(entry(t));
    expect(h.steps).toContain(shown);
    expect(h.steps.length).toBeLessThanOrEqual(8);
    expect(h.steps[h.steps.length - 1]).toBeGreaterThan(4000);
    h.pinned = null;
    for (let t = 5001; t <= 40_000; t++) if (h.wants(t)) h.add(entry(t));
    expect(h.steps).not.toContain(shown);
  });

  it('a step larger than half its share of the budget is refused, with the reason', () => {
    const h = new RunHistory(64, 1000);
    h.add(entry(0, 600));
    expect(h.steps).toEqual([]);
    expect(h.refused).toMatch(/takes .* MB/);
  });

  it('find: the kept step at or before `at`', () => {
    const h = new RunHistory(64, 1e9);
    [0, 10, 20].forEach((s) => h.add(entry(s)));
    expect(h.find(15)!.step).toBe(10);
    expect(h.find(20)!.step).toBe(20);
    expect(h.find(99)!.step).toBe(20);
  });
});

function config(algorithm: string, batchSize?: number): ExperimentConfig {
  return loadExperiment({
    version: 1,
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 120, noise: 0.1 }, hidden: [8], activation: 'tanh', loss: 'bce', ...(batchSize ? { batchSize } : {}) },
    runs: [{ algorithm }, { algorithm: 'mm-lipschitz' }],
    steps: 200,
  });
}

describe('History on a fused experiment', () => {
  it('keeps copies: later steps do not change a kept θ or state', async () => {
    const cfg = config('adam');
    const exp = new FusedExperiment(cfg);
    const h = new History();
    await h.record(exp);
    const kept = h.of(0, 2).entries[0];
    const theta0 = kept.theta.slice();
    const m0 = (kept.state.m as KeptVec).data.slice();
    for (let k = 0; k < 5; k++) exp.step();
    expect(kept.theta).toEqual(theta0);
    expect((kept.state.m as KeptVec).data).toEqual(m0);
    expect(exp.runs[0].thetaArray()).not.toEqual(theta0);
    kept.theta[0] = 123;
    expect(exp.runs[0].thetaArray()[0]).not.toBe(123);
    exp.dispose();
  });

  it('the byte budget is shared by the runs and holds over a long run', async () => {
    const cfg = config('adam');
    const exp = new FusedExperiment(cfg);
    const P = exp.runs[0].thetaArray().length;
    // Room for ~10 Adam steps (θ, m, v) per run.
    const budget = 2 * 10 * 3 * 4 * P;
    const h = new History(budget, 64);
    for (let k = 0; k < 150; k++) {
      await h.record(exp);
      exp.step();
    }
    expect(h.totalBytes).toBeLessThanOrEqual(budget);
    expect(h.kept(0).steps[0]).toBe(0);
    expect(h.kept(0).steps.length).toBeGreaterThanOrEqual(5);
    expect(h.kept(0).steps[h.kept(0).steps.length - 1]).toBeGreaterThan(100);
    exp.dispose();
  });

  it('the surrogate and the decision boundary at a kept step are those computed live at that step (Adam on mini-batches)', async () => {
    const cfg = config('adam', 32);
    const exp = new FusedExperiment(cfg);
    const h = new History();
    const views = new ModelViews();
    const cmd = { type: 'requestSurrogate', run: 0, kind: 'slice', points: 21 } as const;
    const viewCmd = { type: 'requestView', run: 0, grid: 16, points: false } as const;
    let liveSurr: Awaited<ReturnType<typeof computeSurrogate>> | null = null;
    let liveView: MLPGridView | null = null;
    for (let k = 0; k < 30; k++) {
      await h.record(exp);
      if (exp.t === 7) {
        liveSurr = await computeSurrogate(cfg, exp, exp.runs[0], cmd);
        liveView = (await views.view(cfg, exp, exp.runs[0], viewCmd)) as MLPGridView;
      }
      exp.step();
    }
    expect(h.kept(0).steps).toContain(7);
    const past = h.pastRun(exp, 0, 7)!;
    try {
      expect(past.run.t).toBe(7);
      const again = await computeSurrogate(cfg, exp, past.run, cmd);
      expect(again.data).toEqual(liveSurr!.data);
      expect(again.stepNorm).toBe(liveSurr!.stepNorm);
      const view = (await views.view(cfg, exp, past.run, viewCmd)) as MLPGridView;
      expect(view.outputs.data).toEqual(liveView!.outputs.data);
      // And it differs from the live picture at step 30.
      const now = (await views.view(cfg, exp, exp.runs[0], viewCmd)) as MLPGridView;
      expect(now.outputs.data).not.toEqual(view.outputs.data);
    } finally {
      past.release();
    }
    // The live run is untouched.
    expect(exp.runs[0].t).toBe(30);
    exp.dispose();
  });
});

describe('the session answers views at a kept step', () => {
  it('requestSurrogate/requestView with `at` show that step and list the kept steps; reset clears them', async () => {
    const h = harness();
    await h.send({ type: 'start', config: config('adam'), backend: 'fused', play: false });
    for (let k = 0; k < 12; k++) await h.send({ type: 'step', n: 1 });
    await h.send({ type: 'requestSurrogate', run: 0, kind: 'slice', points: 9 });
    const live = h.of('surrogate').at(-1)!;
    expect(live.t).toBe(12);
    expect(live.kept!.steps).toEqual(Array.from({ length: 12 }, (_, k) => k));
    await h.send({ type: 'requestSurrogate', run: 0, kind: 'slice', points: 9, at: 4 });
    await h.send({ type: 'requestView', run: 0, grid: 8, at: 4 });
    expect(h.of('surrogate').at(-1)!.t).toBe(4);
    expect(h.of('view').at(-1)!.t).toBe(4);
    // The past view is not the live one, and the run itself was not moved.
    expect(Array.from(h.of('surrogate').at(-1)!.data.f)).not.toEqual(Array.from(live.data.f));
    expect(h.s.experiment!.runs[0].t).toBe(12);
    await h.send({ type: 'reset' });
    await h.send({ type: 'requestView', run: 0, grid: 8, at: 4 });
    expect(h.of('view').at(-1)!.t).toBe(0);
    expect(h.of('view').at(-1)!.kept!.steps).toEqual([]);
  });
});

describe('History on the tfjs engine', () => {
  it('a past step rebuilt as tensors gives the live surrogate of that step and frees every tensor it made', async () => {
    const cfg = config('adam');
    const exp = new Experiment(cfg);
    const h = new History();
    const cmd = { type: 'requestSurrogate', run: 0, kind: 'slice', points: 9 } as const;
    let live: Awaited<ReturnType<typeof computeSurrogate>> | null = null;
    for (let k = 0; k < 6; k++) {
      await h.record(exp);
      if (exp.t === 3) live = await computeSurrogate(cfg, exp, exp.runs[0], cmd);
      exp.step();
    }
    const n0 = tf.memory().numTensors;
    const past = h.pastRun(exp, 0, 3)!;
    const again = await computeSurrogate(cfg, exp, past.run, cmd);
    past.release();
    expect(tf.memory().numTensors).toBe(n0);
    expect(again.data).toEqual(live!.data);
    exp.dispose();
  });
});
