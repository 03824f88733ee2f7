// The fused engine (src/core/fused) as a backend of the worker's Session, driven in Node: same curves as
// the headless folds, every switch staying on it, exact moves to and from tfjs (setBackend), views and
// surrogates through the engine interface, and the 'auto' calibration choosing it for small gradient-only MLPs.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadExperiment, type ExperimentConfig } from '../src/core/config';
import { paramsOf, runExperiment } from '../src/core/experiment';
import { runFusedExperiment } from '../src/core/fused';
import { harness } from './session-harness';

const mlp = (runs: unknown[], extra: Record<string, unknown> = {}, steps = 40): ExperimentConfig =>
  loadExperiment({
    version: 1,
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 64 }, hidden: [6], ...extra },
    runs,
    steps,
  });

const f32 = (xs: number[]): number[] => Array.from(Float32Array.from(xs));
const maxRel = (a: number[], b: number[]): number => Math.max(0, ...a.map((x, k) => Math.abs(x - b[k]) / Math.abs(b[k])));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, k) => from + k);

describe('Session on the fused engine', () => {
  it('streams the same losses as runExperiment (bit for bit as runFusedExperiment), switches and divergence included', async () => {
    const config = mlp(
      [
        { algorithm: 'adam', hyper: { lr: 0.02 } },
        { algorithm: 'sgd', hyper: { lr: 0.1, momentum: 0.9 }, switches: [{ at: 15, algorithm: 'rmsprop', hyper: { lr: 0.003 } }] },
        { algorithm: 'sgd', hyper: { lr: 100 } },
      ],
      { data: { kind: 'dataset', name: 'sine', n: 64 }, hidden: [8], loss: 'mse', batchSize: 16 },
      60,
    );
    const tfjs = runExperiment(config);
    const fused = runFusedExperiment(config);
    expect(tfjs.runs[2].status).toBe('diverged');
    const h = harness();
    await h.send({ type: 'start', config, backend: 'fused', play: true });
    expect(h.of('ready')[0]).toMatchObject({ backend: 'fused', reasonKind: 'forced' });
    expect(h.of('ready')[0]).not.toHaveProperty('tfjs');
    expect(h.of('started')[0].backend).toBe('fused');
    expect(h.s.backendName).toBe('fused');
    expect(h.s.engine).toBe('cpu');
    for (let i = 0; i < 3; i++) {
      const c = h.curve(i);
      const ref = fused.runs[i];
      expect(h.of('started')[0].loss[i]).toBe(f32([ref.losses[0]])[0]);
      expect(c.steps).toEqual(range(1, ref.losses.length - 1));
      expect(c.loss).toEqual(f32(ref.losses.slice(1)));
      expect(c.test).toEqual(f32(ref.testLosses!.slice(1)));
      // tfjs computes f in another order: float32 noise (the diverging run's blow-up amplifies it).
      if (i < 2) expect(maxRel(c.loss, tfjs.runs[i].losses.slice(1))).toBeLessThan(1e-5);
    }
    const div = h.of('runStatus').find((e) => e.run === 2)!;
    expect(div).toMatchObject({ status: 'diverged', divergedAt: tfjs.runs[2].divergedAt });
    expect(h.of('switched').map((e) => [e.run, e.record.at, e.record.to])).toEqual([[1, 15, 'rmsprop']]);
    expect(h.of('state').at(-1)).toMatchObject({ playing: false, t: 60 });
  });

  it('pause, step n and the adaptive steps per tick work as on tfjs', async () => {
    const config = mlp([{ algorithm: 'adam', hyper: { lr: 0.01 } }], { batchSize: null }, 100_000);
    const h = harness();
    await h.send({ type: 'start', config, backend: 'fused', play: false });
    await h.send({ type: 'step', n: 7 });
    expect(h.curve(0).steps).toEqual(range(1, 7));
    expect(h.of('state').at(-1)).toMatchObject({ playing: false, t: 7, pendingSteps: 0 });
    h.s.handle({ type: 'resume' });
    while (h.s.step < 1000) await new Promise((r) => setTimeout(r, 5));
    await h.send({ type: 'pause' });
    const t = h.s.step;
    expect(h.curve(0).steps).toEqual(range(1, t));
    expect(h.curve(0).loss).toEqual(f32(runFusedExperiment({ ...config, steps: t }).runs[0].losses.slice(1)));
    expect(Math.max(...h.of('progress').map((m) => m.stepsPerTick))).toBeGreaterThan(16);
  });

  it('a mid-run switch to mm-gauss-newton stays on the fused engine (every algorithm runs there); the recorded config replays it', async () => {
    const config = mlp([{ algorithm: 'sgd', hyper: { lr: 0.2 } }, { algorithm: 'adam', hyper: { lr: 0.02, amsgrad: true } }], {}, 1000);
    const fusedRef = runFusedExperiment({ ...config, steps: 30 });
    const h = harness();
    await h.send({ type: 'start', config, backend: 'fused', play: false });
    await h.send({ type: 'step', n: 10 });
    const theta = h.s.experiment!.runs.map((r) => Array.from(r.thetaArray()));

    await h.send({ type: 'switchAlgorithm', run: 0, algorithm: 'mm-gauss-newton' });
    // No hand-over: Gauss–Newton is written against the engine interface and runs on the cpu engine.
    expect(h.of('backendChanged')).toHaveLength(0);
    expect(h.s.backendName).toBe('fused');
    expect(h.s.experiment!.runs[0].algorithm.id).toBe('mm-gauss-newton');
    // θ kept exactly; Adam's run untouched.
    h.s.experiment!.runs.forEach((r, i) => expect(Array.from(r.thetaArray())).toEqual(theta[i]));
    expect(h.of('switched').at(-1)!.record).toMatchObject({ at: 10, from: 'sgd', to: 'mm-gauss-newton', keepState: false });
    const recorded = h.s.currentConfig!;
    expect(recorded.runs[0].switches).toEqual([{ at: 10, algorithm: 'mm-gauss-newton', hyper: expect.any(Object), keepState: false }]);

    await h.send({ type: 'step', n: 20 });
    const live = [h.curve(0), h.curve(1)];
    for (let i = 0; i < 2; i++) {
      expect(live[i].steps).toEqual(range(1, 30));
      expect(live[i].loss.slice(0, 10)).toEqual(f32(fusedRef.runs[i].losses.slice(1, 11)));
    }
    // Adam never left the fused engine: bit for bit the fused-only curve.
    expect(live[1].loss).toEqual(f32(fusedRef.runs[1].losses.slice(1)));
    // The MM run decreases f at every step after the switch (monotone majorization).
    for (let k = 10; k < 30; k++) expect(live[0].loss[k]).toBeLessThanOrEqual(live[0].loss[k - 1] * (1 + 1e-6));
    // The recorded config folded headless on the fused engine: bit for bit; on tfjs: float32 noise.
    const replay = runFusedExperiment({ ...recorded, steps: 30 });
    for (let i = 0; i < 2; i++) expect(live[i].loss).toEqual(f32(replay.runs[i].losses.slice(1)));
    const tfjsRef = runExperiment({ ...recorded, steps: 30 });
    for (let i = 0; i < 2; i++) expect(maxRel(live[i].loss, tfjsRef.runs[i].losses.slice(1))).toBeLessThan(1e-3);

    // A restore after a crash (resumeAt) replays on the fused engine and continues the same curve.
    const r = harness();
    await r.send({ type: 'start', config: { ...recorded, steps: 30 }, backend: 'fused', play: false, resumeAt: 20 });
    expect(r.of('started')[0].t).toBe(20);
    expect(r.of('started')[0].backend).toBe('fused');
    await r.send({ type: 'step', n: 10 });
    for (let i = 0; i < 2; i++) expect(r.curve(i).loss).toEqual(live[i].loss.slice(20));
  });

  it('gradient switches and setHyper stay on the fused engine', async () => {
    const config = mlp([{ algorithm: 'sgd', hyper: { lr: 0.1, momentum: 0.9 } }], { batchSize: 20 }, 1000);
    const h = harness();
    await h.send({ type: 'start', config, backend: 'fused', play: false });
    await h.send({ type: 'step', n: 8 });
    await h.send({ type: 'setHyper', run: 0, hyper: { lr: 0.05 } });
    await h.send({ type: 'step', n: 8 });
    await h.send({ type: 'switchAlgorithm', run: 0, algorithm: 'adagrad', hyper: { lr: 0.05 } });
    await h.send({ type: 'step', n: 8 });
    expect(h.s.backendName).toBe('fused');
    expect(h.of('backendChanged')).toHaveLength(0);
    const cfg = h.s.currentConfig!;
    expect(cfg.runs[0].switches.map((s) => [s.at, s.algorithm, s.keepState])).toEqual([
      [8, 'sgd', true],
      [16, 'adagrad', false],
    ]);
    expect(h.curve(0).loss).toEqual(f32(runFusedExperiment({ ...cfg, steps: 24 }).runs[0].losses.slice(1)));
    expect(maxRel(h.curve(0).loss, runExperiment({ ...cfg, steps: 24 }).runs[0].losses.slice(1))).toBeLessThan(1e-5);
  });

  it('views and surrogates of fused runs are computed on the cpu engine itself (no tfjs copy): the session stays there, no tensor leaks', async () => {
    const config = mlp([{ algorithm: 'adam', hyper: { lr: 0.05 } }], { batchSize: null }, 12);
    const h = harness();
    await h.send({ type: 'start', config, backend: 'fused', play: true });
    await h.send({ type: 'requestView', run: 0, grid: 8 });
    await h.send({ type: 'requestSurrogate', run: 0, kind: 'slice', points: 11, range: [0, 1] });
    const n0 = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) {
      await h.send({ type: 'requestView', run: 0, grid: 8 });
      await h.send({ type: 'requestSurrogate', run: 0, kind: 'slice', points: 11, range: [0, 1] });
    }
    expect(tf.memory().numTensors).toBe(n0);
    expect(h.s.backendName).toBe('fused');
    // The same pictures as a tfjs session at (up to float32 noise) the same θ.
    const g = harness();
    await g.send({ type: 'start', config, backend: 'cpu', play: true });
    await g.send({ type: 'requestView', run: 0, grid: 8 });
    await g.send({ type: 'requestSurrogate', run: 0, kind: 'slice', points: 11, range: [0, 1] });
    const [v, w] = [h.of('view').at(-1)!, g.of('view').at(-1)!];
    expect(v.t).toBe(12);
    if (v.view.kind !== 'mlp2d' || w.view.kind !== 'mlp2d') throw new Error('2-D view expected');
    Array.from(v.view.outputs.data).forEach((z, k) => expect(z).toBeCloseTo((w.view as { outputs: { data: Float32Array } }).outputs.data[k], 4));
    const [a, b] = [h.of('surrogate').at(-1)!, g.of('surrogate').at(-1)!];
    expect(a.t).toBe(12);
    if (a.data.kind !== 'slice' || b.data.kind !== 'slice') throw new Error('slice expected');
    expect(a.data.f[0]).toBeCloseTo(h.curve(0).loss.at(-1)!, 5);
    Array.from(a.data.g).forEach((x, k) => expect(Math.abs(x - (b.data as { g: ArrayLike<number> }).g[k]) / Math.abs(x)).toBeLessThan(1e-4));
    // Training continues on the fused engine after the requests.
    await h.send({ type: 'setSteps', steps: 20 });
    await h.send({ type: 'resume' });
    expect(h.curve(0).loss).toEqual(f32(runFusedExperiment({ ...config, steps: 20 }).runs[0].losses.slice(1)));
  });

  it('setBackend moves between the fused engine and tfjs at the same step (arrays transferred exactly)', async () => {
    const config = mlp([{ algorithm: 'rmsprop', hyper: { lr: 0.01, momentum: 0.5, centered: true } }], { batchSize: 16 }, 1000);
    const h = harness();
    await h.send({ type: 'start', config, backend: 'fused', play: false });
    await h.send({ type: 'step', n: 10 });
    const theta = Array.from(h.s.experiment!.runs[0].thetaArray());
    await h.send({ type: 'setBackend', backend: 'cpu' });
    expect(h.of('backendChanged').at(-1)).toMatchObject({ from: 'fused', to: 'cpu', restoredBy: 'transfer', t: 10 });
    expect(paramsOf(h.s.experiment!.runs[0]).flatMap((p) => Array.from(p.dataSync()))).toEqual(theta);
    await h.send({ type: 'step', n: 10 });
    const params = paramsOf(h.s.experiment!.runs[0]).flatMap((p) => Array.from(p.dataSync()));
    await h.send({ type: 'setBackend', backend: 'fused' });
    expect(h.of('ready').at(-1)).toMatchObject({ backend: 'fused', reasonKind: 'forced' });
    expect(Array.from(h.s.experiment!.runs[0].thetaArray())).toEqual(params);
    await h.send({ type: 'step', n: 10 });
    const c = h.curve(0);
    expect(c.steps).toEqual(range(1, 30));
    expect(maxRel(c.loss, runExperiment({ ...config, steps: 30 }).runs[0].losses.slice(1))).toBeLessThan(1e-5);
    // A Gauss–Newton run goes to the fused engine too (every MLP algorithm runs there), state and all.
    await h.send({ type: 'setBackend', backend: 'cpu' });
    await h.send({ type: 'switchAlgorithm', run: 0, algorithm: 'mm-gauss-newton' });
    await h.send({ type: 'step', n: 3 });
    const lambda = (h.s.experiment!.runs[0].state as { lambda: number }).lambda;
    await h.send({ type: 'setBackend', backend: 'fused' });
    expect(h.of('ready').at(-1)).toMatchObject({ backend: 'fused', reasonKind: 'forced' });
    expect(h.s.experiment!.runs[0].algorithm.id).toBe('mm-gauss-newton');
    expect((h.s.experiment!.runs[0].state as { lambda: number }).lambda).toBe(lambda);
  });

  it('a scheduled MM switch happens on the fused engine at its step (no hand-over); loseBackend on the fused engine falls back to CPU', async () => {
    const config = mlp([{ algorithm: 'sgd', hyper: { lr: 0.2 }, switches: [{ at: 5, algorithm: 'mm-gauss-newton' }] }, { algorithm: 'adam' }], {}, 12);
    const h = harness();
    await h.send({ type: 'start', config, backend: 'fused', play: true });
    expect(h.of('ready')[0].backend).toBe('fused');
    expect(h.of('backendChanged')).toHaveLength(0);
    expect(h.of('switched').map((e) => [e.record.at, e.record.to])).toEqual([[5, 'mm-gauss-newton']]);
    expect(h.curve(0).steps).toEqual(range(1, 12));
    expect(h.of('runStatus').map((e) => e.status)).toEqual(['done', 'done']);
    expect(h.s.experiment!.runs[0].algorithm.id).toBe('mm-gauss-newton');
    expect(h.curve(0).loss).toEqual(f32(runFusedExperiment(config).runs[0].losses.slice(1)));

    const g = harness();
    const cfg = mlp([{ algorithm: 'adam', hyper: { lr: 0.01 } }], {}, 1000);
    await g.send({ type: 'start', config: cfg, backend: 'fused', play: false });
    await g.send({ type: 'step', n: 6 });
    await g.send({ type: 'loseBackend' });
    expect(g.of('backendChanged').at(-1)).toMatchObject({ from: 'fused', to: 'cpu', cause: 'device-lost', restoredBy: 'replay', t: 6 });
    await g.send({ type: 'step', n: 6 });
    expect(g.curve(0).steps).toEqual(range(1, 12));
    expect(maxRel(g.curve(0).loss, runExperiment({ ...cfg, steps: 12 }).runs[0].losses.slice(1))).toBeLessThan(1e-5);
  });
});

describe("'auto' calibration with the fused engine (Node)", () => {
  it('picks the fused engine for a small gradient-only MLP, and says why', async () => {
    const h = harness();
    await h.send({ type: 'start', config: mlp([{ algorithm: 'adam' }, { algorithm: 'sgd' }], {}, 3), backend: 'auto', play: false });
    const ready = h.of('ready')[0];
    expect(ready).toMatchObject({ backend: 'fused', reasonKind: 'calibration' });
    expect(ready.reason).toMatch(/JS fused.* [\d.e-]+ ms\/step.*CPU [\d.]+ ms\/step.*→ JS fused/);
    const fused = ready.backends.find((b) => b.name === 'fused')!;
    const cpu = ready.backends.find((b) => b.name === 'cpu')!;
    expect(fused.status).toBe('available');
    expect(fused.msPerStep!).toBeLessThan(cpu.msPerStep!);
    expect(h.of('started').map((e) => e.backend)).toEqual(['fused', 'fused']);
  });

  it('calibrates it for an NMF problem too: the page’s NMF runs on the cpu engine, curves equal the headless fold, views and surrogates work', async () => {
    const config = loadExperiment({
      version: 1,
      problem: { kind: 'nmf', beta: 1, rank: 3, data: { kind: 'synthetic', rows: 24, cols: 20, trueRank: 3 } },
      runs: [{ algorithm: 'nmf-mm' }, { algorithm: 'nmf-mu' }],
      steps: 1000,
    });
    const h = harness();
    await h.send({ type: 'start', config, backend: 'auto', play: false });
    const ready = h.of('ready').at(-1)!;
    expect(ready.backends.find((b) => b.name === 'fused')).toMatchObject({ status: 'available' });
    await h.send({ type: 'setBackend', backend: 'fused' });
    expect(h.s.backendName).toBe('fused');
    await h.send({ type: 'step', n: 15 });
    const ref = runFusedExperiment({ ...config, steps: 15 });
    for (let i = 0; i < 2; i++) expect(h.curve(i).loss).toEqual(f32(ref.runs[i].losses.slice(1)));
    await h.send({ type: 'requestView', run: 0, requestId: 1 });
    const view = h.of('view').at(-1)!.view;
    expect(view.kind).toBe('nmf');
    if (view.kind === 'nmf') expect(view.W.shape).toEqual([24, 3]);
    await h.send({ type: 'requestSurrogate', run: 0, kind: 'slice', points: 9, requestId: 2 });
    const surr = h.of('surrogate').at(-1)!;
    expect(surr.certificate).toBe('global');
    expect(surr.violations).toBe(0);
  });
});
