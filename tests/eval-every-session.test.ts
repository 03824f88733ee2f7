/**
 * The page's live session with evalEvery k (src/worker/ticking.ts over core/fold/collect.ts): progress
 * points only at steps k, 2k, … and the target, equal to the headless fold's; progress still reports
 * the step count between evaluations; wall times grow with the steps; on tfjs too; the MM monotone
 * check (ui/live.ts) spans the steps between evaluated points.
 */
import { describe, expect, it } from 'vitest';
import { loadExperiment, type ExperimentInput } from '../src/core/config';
import { runFusedExperiment } from '../src/core/fused';
import { LiveRun } from '../src/ui/live';
import { harness } from './session-harness';

const f32 = (a: number[]) => Array.from(Float32Array.from(a));
const config = (evalEvery: number, batchSize: number | null = 16) =>
  loadExperiment({
    version: 1,
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 96 }, hidden: [6], batchSize },
    runs: [{ algorithm: 'adam', hyper: { lr: 0.05 } }, { algorithm: 'mm-lipschitz' }],
    steps: 30,
    evalEvery,
  } as ExperimentInput);

describe('live session with evalEvery', () => {
  for (const backend of ['fused', 'cpu'] as const) {
    it(`${backend}: points at multiples of k and the target, equal to the headless fold`, async () => {
      const c = config(7);
      const ref = runFusedExperiment(c);
      const h = harness();
      await h.send({ type: 'start', config: c, backend, play: true });
      expect(h.of('state').at(-1)).toMatchObject({ t: 30 });
      for (let i = 0; i < 2; i++) {
        const curve = h.curve(i);
        expect(curve.steps).toEqual([7, 14, 21, 28, 30]);
        expect(ref.runs[i].lossSteps).toEqual([0, ...curve.steps]);
        const close = backend === 'fused' ? 0 : 1e-5;
        curve.loss.forEach((v, j) => expect(Math.abs(v - f32(ref.runs[i].losses)[j + 1])).toBeLessThanOrEqual(close * Math.abs(v)));
        expect(curve.wall.every((w, j) => j === 0 || w >= curve.wall[j - 1])).toBe(true);
      }
      // Every tick reports its step count, points or not.
      const ts = h.of('progress').map((e) => e.t);
      expect(ts.at(-1)).toBe(30);
    });
  }

  it('the monotone check of an MM run holds across the steps between evaluations (full batch)', async () => {
    const h = harness();
    await h.send({ type: 'start', config: config(4, null), backend: 'fused', play: true });
    const run = new LiveRun('mm', 'mm-lipschitz', false);
    run.append(0, 0, h.of('started')[0].loss[1], NaN);
    const c = h.curve(1);
    c.steps.forEach((t, j) => run.append(t, c.wall[j], c.loss[j], c.test[j]));
    expect(c.steps).toEqual([4, 8, 12, 16, 20, 24, 28, 30]);
    expect(run.monotone).toMatchObject({ state: 'held', checked: 30 });
    // A rise between two evaluated points breaks it at the later one.
    run.append(34, 0, c.loss.at(-1)! * 1.1, NaN);
    expect(run.monotone).toMatchObject({ state: 'broken', brokenAt: 34 });
  });
});

describe("the page sweep's metrics with sparse steps", () => {
  it('reads f at the last evaluated step ≤ k, and counts steps to the first evaluated point under the target', async () => {
    const { metricOf } = await import('../src/ui/sweep-workers');
    const losses = [4, 2, 1, 0.5];
    const steps = [0, 23, 46, 50];
    expect(metricOf(losses, { kind: 'final' }, steps)).toBe(0.5);
    expect(metricOf(losses, { kind: 'at', step: 30 }, steps)).toBe(2);
    expect(metricOf(losses, { kind: 'at', step: 46 }, steps)).toBe(1);
    expect(metricOf(losses, { kind: 'at', step: 51 }, steps)).toBe(Infinity);
    expect(metricOf(losses, { kind: 'target', target: 1 }, steps)).toBe(46);
    expect(metricOf(losses, { kind: 'target', target: 0.1 }, steps)).toBeNull();
  });
});

describe('evalEvery in the form and the share link', () => {
  it('is in the link only when set, and survives the form (draft) and the link', async () => {
    const { encodeShare, decodeShare, DEFAULT_VIEW } = await import('../src/ui/share');
    const { configToDraft, draftToInput } = await import('../src/ui/draft');
    const set = config(9);
    const { evalEvery: _auto, ...plain } = config(9);
    expect(draftToInput(configToDraft(set))).toMatchObject({ evalEvery: 9 });
    expect(draftToInput(configToDraft(plain))).not.toHaveProperty('evalEvery');
    const back = decodeShare(encodeShare(set, DEFAULT_VIEW));
    expect(back.kind === 'ok' && back.config.evalEvery).toBe(9);
    const none = decodeShare(encodeShare(plain, DEFAULT_VIEW));
    expect(none.kind === 'ok' && 'evalEvery' in none.config).toBe(false);
  });

  it('the note by the loss chart: once per epoch, a set value, nothing when every step', async () => {
    const { evalEveryNote } = await import('../src/ui/evalEvery');
    const digits = loadExperiment({ version: 1, problem: { kind: 'mlp', data: { kind: 'dataset', name: 'digits', n: 1797, testRatio: 0.2 }, hidden: [32], loss: 'softmax_ce', batchSize: 64 }, runs: [{ algorithm: 'adam' }] });
    expect(evalEveryNote(digits)).toBe('f on the full training and test sets every 23 steps (once per epoch)');
    expect(evalEveryNote({ ...digits, evalEvery: 5 })).toBe('f on the full training and test sets every 5 steps (as set in the Problem panel)');
    expect(evalEveryNote(config(1))).toBeNull();
    expect(evalEveryNote(loadExperiment({ version: 1, problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 96 }, batchSize: 16 }, runs: [{ algorithm: 'sgd' }] }))).toBeNull();
  });
});
