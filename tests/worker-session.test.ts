// The worker's Session driven directly in Node (tfjs cpu) with a fake `post`.
import type { TfjsProblem } from '../src/core/engines/tfjs/problem';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ALGORITHMS } from '../src/core/algorithms/registry';
import { loadExperiment, type ExperimentConfig } from '../src/core/config';
import { paramsOf, runExperiment } from '../src/core/experiment';
import type { BackendHost } from '../src/worker/backend';
import type { BackendName } from '../src/worker/protocol';
import { harness as makeHarness, type Harness } from './session-harness';

/** Another gradient algorithm to switch to (adam once it is registered, else SGD with momentum). */
const OTHER = ALGORITHMS.adam ? { algorithm: 'adam', hyper: { lr: 0.02 } } : { algorithm: 'sgd', hyper: { lr: 0.05, momentum: 0.9 } };

const mlp = (runs: unknown[], extra: Record<string, unknown> = {}, steps = 30): ExperimentConfig =>
  loadExperiment({
    version: 1,
    problem: { kind: 'mlp', data: { kind: 'dataset', name: 'moons', n: 64 }, hidden: [5], batchSize: 16, ...extra },
    runs,
    steps,
  });

/** Pretends to be any backend while tfjs stays on cpu (exercises transfer/replay paths). */
function fakeHost(): BackendHost & { name: BackendName } {
  const host = {
    name: 'cpu' as BackendName,
    current: () => host.name,
    async select(choice: string) {
      const b = (choice === 'auto' ? 'cpu' : choice) as BackendName;
      host.name = b;
      return { backend: b, reasonKind: 'forced' as const, reason: `fake ${b}`, backends: [{ name: b, status: 'available' as const }] };
    },
    watchLoss() {},
  };
  return host;
}

const harness = (host?: BackendHost, checkpointMs?: number): Harness => makeHarness({ backends: host, calibrationMs: 200, checkpointMs });

const f32 = (xs: number[]): number[] => Array.from(Float32Array.from(xs));

describe('Session streaming', () => {
  it('streams the same curves as runExperiment (same config, same values), scheduled switches included', async () => {
    const config = mlp(
      [
        { algorithm: 'sgd', hyper: { lr: 0.2 } },
        { algorithm: 'sgd', hyper: { lr: 0.05, momentum: 0.9 }, switches: [{ at: 12, ...OTHER }] },
      ],
      {},
      40,
    );
    const ref = runExperiment(config);
    const h = harness();
    await h.send({ type: 'start', config, backend: 'cpu', play: true });

    const ready = h.of('ready')[0];
    expect(ready.backend).toBe('cpu');
    expect(ready.reasonKind).toBe('forced');
    const started = h.of('started')[0];
    expect(started.t).toBe(0);
    expect(started.runs.map((r) => r.algorithm)).toEqual(['sgd', 'sgd']);
    for (let i = 0; i < 2; i++) {
      expect(started.loss[i]).toBe(f32([ref.runs[i].losses[0]])[0]);
      const c = h.curve(i);
      expect(c.steps).toEqual(Array.from({ length: 40 }, (_, k) => k + 1));
      expect(c.loss).toEqual(f32(ref.runs[i].losses.slice(1)));
      expect(c.test).toEqual(f32(ref.runs[i].testLosses!.slice(1)));
      // wall time is cumulative and non-decreasing
      c.wall.forEach((w, k) => k && expect(w).toBeGreaterThanOrEqual(c.wall[k - 1]));
    }
    // Every message's arrays are typed arrays; one progress message per tick.
    const p = h.of('progress')[0];
    expect(p.blocks[0].steps).toBeInstanceOf(Int32Array);
    expect(p.blocks[0].loss).toBeInstanceOf(Float32Array);
    expect(p.blocks[0].wallMs).toBeInstanceOf(Float64Array);
    // The scheduled switch was applied at its step and announced.
    const sw = h.of('switched');
    expect(sw).toHaveLength(1);
    expect(sw[0].run).toBe(1);
    expect(sw[0].record).toMatchObject({ at: 12, from: 'sgd', to: OTHER.algorithm });
    // Both runs finished; the session stopped playing.
    expect(h.of('runStatus').map((e) => [e.run, e.status])).toEqual([
      [0, 'done'],
      [1, 'done'],
    ]);
    expect(h.of('state').at(-1)).toMatchObject({ playing: false, t: 40 });
  });

  it('auto backend selection calibrates what is registered (the fused engine and cpu in Node) and says why', async () => {
    // The page's budget (1.5 s): with 200 ms a loaded machine's slow first fused steps can use it all,
    // and tfjs's CPU is then (rightly) skipped.
    const h = makeHarness({ calibrationMs: 1500 });
    await h.send({ type: 'start', config: mlp([{ algorithm: 'sgd' }], {}, 3), backend: 'auto', play: false });
    const ready = h.of('ready')[0];
    // A gradient-only MLP: the fused engine competes (and wins; tests/worker-fused.test.ts).
    expect(ready.backend).toBe('fused');
    expect(ready.reasonKind).toBe('calibration');
    expect(ready.reason).toMatch(/CPU [\d.]+ ms\/step/);
    const cpu = ready.backends.find((b) => b.name === 'cpu')!;
    expect(cpu.status).toBe('available');
    expect(cpu.msPerStep).toBeGreaterThan(0);
    expect(ready.backends.find((b) => b.name === 'webgpu')!.status).toBe('unavailable');
  });

  it('forced failure (failBackends) falls back and says so', async () => {
    // In Node only cpu exists; forcing 'wasm' walks wasm → cpu.
    const h = harness();
    await h.send({ type: 'start', config: mlp([{ algorithm: 'sgd' }], {}, 3), backend: 'wasm', failBackends: ['wasm'], play: false });
    const ready = h.of('ready')[0];
    expect(ready.backend).toBe('cpu');
    expect(ready.reasonKind).toBe('fallback');
    expect(ready.reason).toMatch(/WASM failed to initialise \(forced/);
    expect(h.of('backendChanged')[0]).toMatchObject({ from: null, to: 'cpu', cause: 'init-failure' });
  });

  it('pause stops progress, resume continues, and step n advances exactly n', async () => {
    const config = mlp([{ algorithm: 'sgd', hyper: { lr: 0.1 } }], {}, 100_000);
    const ref = runExperiment({ ...config, steps: 20 });
    const h = harness();
    await h.send({ type: 'start', config, backend: 'cpu', play: false });
    expect(h.of('progress')).toHaveLength(0);
    expect(h.of('state').at(-1)).toMatchObject({ playing: false, t: 0 });

    await h.send({ type: 'step', n: 7 });
    expect(h.curve(0).steps).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(h.s.step).toBe(7);
    expect(h.of('state').at(-1)).toMatchObject({ playing: false, t: 7, pendingSteps: 0 });
    await h.send({ type: 'step', n: 1 });
    await h.send({ type: 'step', n: 5 });
    expect(h.s.step).toBe(13);
    expect(h.curve(0).loss).toEqual(f32(ref.runs[0].losses.slice(1, 14)));

    // Play, then pause while playing: progress stops.
    const playFrom = h.msgs.length;
    h.s.handle({ type: 'setSpeed', stepsPerTick: 2 });
    h.s.handle({ type: 'resume' });
    while (h.s.step < 30) await new Promise((r) => setTimeout(r, 2));
    await h.send({ type: 'pause' });
    const n = h.of('progress').length;
    const t = h.s.step;
    await new Promise((r) => setTimeout(r, 60));
    await h.s.idle();
    expect(h.of('progress').length).toBe(n);
    expect(h.s.step).toBe(t);
    expect(h.s.isPlaying).toBe(false);
    expect(h.of('state').at(-1)).toMatchObject({ playing: false, t });
    // Steps are contiguous across play/pause/step.
    expect(h.curve(0).steps).toEqual(Array.from({ length: t }, (_, k) => k + 1));
    const played = h.msgs.slice(playFrom).filter((m) => m.type === 'progress');
    expect(played.length).toBeGreaterThan(5);
    expect(played.every((m) => m.type === 'progress' && m.stepsPerTick <= 2)).toBe(true);
  });

  it('adapts steps per tick (auto) and honours a steps/s cap', async () => {
    const h = harness();
    await h.send({ type: 'start', config: mlp([{ algorithm: 'sgd' }], { batchSize: null }, 400), backend: 'cpu', play: true });
    const ks = h.of('progress').map((m) => m.stepsPerTick);
    expect(Math.max(...ks)).toBeGreaterThan(1);
    // Cap: 50 steps/s → ≤ 5 steps per tick, with delays.
    await h.send({ type: 'setSteps', steps: 410 });
    const from = h.msgs.length;
    const t0 = performance.now();
    await h.send({ type: 'setSpeed', stepsPerSecond: 50 });
    await h.send({ type: 'resume' });
    const dt = performance.now() - t0;
    expect(h.s.step).toBe(410);
    expect(h.curve(0, from).steps).toEqual(Array.from({ length: 10 }, (_, k) => 401 + k));
    expect(dt).toBeGreaterThan(120); // 10 steps at 50/s ≈ 200 ms (first tick is not delayed)
    expect(h.of('config').at(-1)!.config.steps).toBe(410);
  });
});

describe('Session switching', () => {
  it('switching algorithm mid-run keeps θ, is recorded, and the recorded config replays the session', async () => {
    const config = mlp([{ algorithm: 'sgd', hyper: { lr: 0.1 } }, { algorithm: 'sgd', hyper: { lr: 0.02 } }], {}, 1000);
    const h = harness();
    await h.send({ type: 'start', config, backend: 'cpu', play: false });
    await h.send({ type: 'step', n: 10 });
    const before = h.curve(0).loss.at(-1)!;

    await h.send({ type: 'switchAlgorithm', run: 0, ...OTHER });
    // θ kept: f right after the switch is f before it.
    const exp = h.s.experiment!;
    const after = (exp.problem as TfjsProblem).tfjs.full.loss(paramsOf(exp.runs[0]));
    expect(after.dataSync()[0]).toBe(before);
    after.dispose();
    const sw = h.of('switched').at(-1)!;
    expect(sw.record).toMatchObject({ at: 10, from: 'sgd', to: OTHER.algorithm, keepState: false });
    let cfg = h.of('config').at(-1)!.config;
    expect(cfg.runs[0].switches).toEqual([{ at: 10, algorithm: OTHER.algorithm, hyper: expect.objectContaining(OTHER.hyper), keepState: false }]);
    expect(cfg.runs[1].switches).toEqual([]);

    await h.send({ type: 'step', n: 5 });
    // Same-algorithm hyper change keeps state (recorded with keepState: true).
    await h.send({ type: 'setHyper', run: 1, hyper: { lr: 0.3 } });
    cfg = h.of('config').at(-1)!.config;
    expect(cfg.runs[1].switches).toEqual([{ at: 15, algorithm: 'sgd', hyper: expect.objectContaining({ lr: 0.3, momentum: 0 }), keepState: true }]);
    // Two changes at one step are merged into one entry.
    await h.send({ type: 'setHyper', run: 1, hyper: { lr: 0.25 } });
    cfg = h.of('config').at(-1)!.config;
    expect(cfg.runs[1].switches).toHaveLength(1);
    expect(cfg.runs[1].switches[0].hyper.lr).toBe(0.25);
    await h.send({ type: 'step', n: 10 });

    // The share-link config reproduces the live curves exactly.
    const ref = runExperiment({ ...cfg, steps: 25 });
    for (let i = 0; i < 2; i++) expect(h.curve(i).loss).toEqual(f32(ref.runs[i].losses.slice(1)));
    expect(ref.runs[0].switches[0]).toMatchObject({ at: 10, to: OTHER.algorithm });

    // Invalid hyper-parameters are refused with the field named, nothing recorded.
    await h.send({ type: 'setHyper', run: 0, hyper: { lr: -1 } });
    const err = h.of('error').at(-1)!;
    expect(err.command).toBe('setHyper');
    expect(err.errors!.join()).toMatch(/runs\[0\]\.switches\[1\]\.hyper\.lr/);
    expect(h.s.currentConfig!.runs[0].switches).toHaveLength(1);
    await h.send({ type: 'switchAlgorithm', run: 5, algorithm: 'sgd' });
    expect(h.of('error').at(-1)!.message).toMatch(/run 5 does not exist/);
  });

  it('reset goes back to step 0 (dropping or keeping the mid-run switches)', async () => {
    const config = mlp([{ algorithm: 'sgd', hyper: { lr: 0.1 } }], {}, 1000);
    const h = harness();
    await h.send({ type: 'start', config, backend: 'cpu', play: false });
    const l0 = h.of('started')[0].loss[0];
    await h.send({ type: 'step', n: 6 });
    const plain = h.curve(0).loss;
    await h.send({ type: 'switchAlgorithm', run: 0, ...OTHER });
    await h.send({ type: 'step', n: 6 });
    const switched = h.curve(0).loss.slice(6);
    const epoch = h.of('started')[0].epoch;

    let from = h.msgs.length;
    await h.send({ type: 'reset' });
    const st = h.of('started').at(-1)!;
    expect(st.epoch).toBeGreaterThan(epoch);
    expect(st.t).toBe(0);
    expect(st.loss[0]).toBe(l0);
    expect(st.config.runs[0].switches).toEqual([]);
    expect(h.s.step).toBe(0);
    await h.send({ type: 'step', n: 6 });
    expect(h.curve(0, from).loss).toEqual(plain);

    // Keep the switches: the same curve as before the reset.
    await h.send({ type: 'switchAlgorithm', run: 0, ...OTHER });
    from = h.msgs.length;
    await h.send({ type: 'reset', keepSwitches: true });
    expect(h.of('started').at(-1)!.config.runs[0].switches).toHaveLength(1);
    await h.send({ type: 'step', n: 12 });
    expect(h.curve(0, from).loss).toEqual([...plain, ...switched]);
  });
});

describe('Session robustness', () => {
  it('a diverging run stops with status diverged; the others continue', async () => {
    const config = loadExperiment({
      version: 1,
      problem: { kind: 'mlp', data: { kind: 'dataset', name: 'sine', n: 64 }, hidden: [8], loss: 'mse' },
      runs: [
        { algorithm: 'sgd', hyper: { lr: 100 } },
        { algorithm: 'sgd', hyper: { lr: 0.01 } },
      ],
      steps: 60,
    });
    const ref = runExperiment(config);
    expect(ref.runs[0].status).toBe('diverged');
    const h = harness();
    await h.send({ type: 'start', config, backend: 'cpu', play: true });
    const st = h.of('runStatus').find((e) => e.run === 0)!;
    expect(st.status).toBe('diverged');
    expect(st.divergedAt).toBe(ref.runs[0].divergedAt);
    expect(st.message).toMatch(/diverged at step/);
    const c0 = h.curve(0);
    expect(c0.steps.at(-1)).toBe(st.divergedAt);
    expect(c0.loss.slice(0, -1).every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(c0.loss.at(-1)!)).toBe(false);
    const c1 = h.curve(1);
    expect(c1.steps).toHaveLength(60);
    expect(c1.loss).toEqual(f32(ref.runs[1].losses.slice(1)));
    expect(h.of('runStatus').find((e) => e.run === 1)!.status).toBe('done');
    // A stopped run cannot be switched.
    await h.send({ type: 'switchAlgorithm', run: 0, algorithm: 'sgd' });
    expect(h.of('error').at(-1)!.message).toMatch(/has stopped \(diverged\)/);
  });

  it('keeps tf.memory().numTensors stable over many ticks, views and switches', async () => {
    const config = mlp(
      [{ algorithm: 'sgd', hyper: { lr: 0.1, momentum: 0.9 } }, { ...OTHER }],
      {},
      100_000,
    );
    const h = harness();
    await h.send({ type: 'start', config, backend: 'cpu', play: false });
    await h.send({ type: 'setSpeed', stepsPerTick: 25 });
    await h.send({ type: 'step', n: 30 });
    await h.send({ type: 'requestView', run: 0, grid: 8 });
    let n0 = tf.memory().numTensors;
    for (let k = 0; k < 8; k++) {
      await h.send({ type: 'step', n: 250 });
      await h.send({ type: 'requestView', run: 1, grid: 8 });
      expect(tf.memory().numTensors).toBe(n0);
      if (k === 3) {
        // The new algorithm's state has its own size: a new baseline after one step.
        await h.send({ type: 'setHyper', run: 0, hyper: { lr: 0.05 } });
        await h.send({ type: 'switchAlgorithm', run: 1, algorithm: 'sgd', hyper: { lr: 0.05, momentum: 0.5 } });
        await h.send({ type: 'step', n: 1 });
        n0 = tf.memory().numTensors;
      }
    }
    expect(h.s.step).toBe(2031);
    h.s.dispose();
    expect(tf.memory().numTensors).toBeLessThan(n0);
  });

  it("auto: a preview 'started' (t = 0, fused engine or CPU) comes before the calibration, then the calibrated one", async () => {
    const h = harness();
    const config = mlp([{ algorithm: 'sgd' }, OTHER], {}, 3);
    await h.send({ type: 'start', config, backend: 'auto', play: false });
    const types = h.msgs.map((m) => m.type);
    const started = h.of('started');
    expect(started).toHaveLength(2);
    expect(types.indexOf('started')).toBeLessThan(types.indexOf('ready'));
    expect(types.lastIndexOf('started')).toBeGreaterThan(types.indexOf('ready'));
    // Gradient optimizers on an MLP: the preview is built on the fused engine (the calibration's usual pick).
    expect(started[0]).toMatchObject({ t: 0, backend: 'fused', epoch: started[1].epoch });
    expect(Array.from(started[0].loss)).toEqual(Array.from(started[1].loss));
    expect(h.of('config')).toHaveLength(1);
    // Forced backends and restores (resumeAt) have no preview.
    const g = harness();
    await g.send({ type: 'start', config, backend: 'auto', play: false, resumeAt: 2 });
    await g.send({ type: 'start', config, backend: 'cpu', play: false });
    expect(g.of('started').map((e) => e.t)).toEqual([2, 0]);
  });

  it('rejects an invalid config with precise errors and keeps the previous session', async () => {
    const h = harness();
    await h.send({ type: 'start', config: mlp([{ algorithm: 'sgd' }], {}, 5), backend: 'cpu', play: true });
    await h.send({ type: 'start', config: { version: 1, problem: { kind: 'mlp' }, runs: [{ algorithm: 'sgd', hyper: { lr: 0 } }] } as never, backend: 'cpu' });
    const err = h.of('error').at(-1)!;
    expect(err.command).toBe('start');
    expect(err.errors).toEqual(['runs[0].hyper.lr: lr must be > 0']);
    expect(h.s.step).toBe(5);
    expect(h.of('started')).toHaveLength(1);
  });

  it('requestView: decision-boundary grid for 2-D inputs, curve for 1-D, V/WH/W/H for NMF', async () => {
    const h = harness();
    await h.send({ type: 'start', config: mlp([{ algorithm: 'sgd' }], {}, 3), backend: 'cpu', play: true });
    await h.send({ type: 'requestView', run: 0, grid: 16, requestId: 7 });
    const v = h.of('view').at(-1)!;
    expect(v.requestId).toBe(7);
    expect(v.t).toBe(3);
    if (v.view.kind !== 'mlp2d') throw new Error(v.view.kind);
    expect(v.view.outputs.shape).toEqual([256, 1]);
    expect(v.view.outputs.data).toHaveLength(256);
    expect(v.view.train!.X.shape).toEqual([48, 2]);
    expect(v.view.test!.y).toHaveLength(16);
    expect(v.view.extent.x0).toBeLessThan(v.view.extent.x1);
    // The corner output equals the network evaluated there.
    const exp = h.s.experiment!;
    const z = tf.tidy(() => ((exp.problem as TfjsProblem).tfjs as import('../src/core/problems/mlp').MLPProblem).predict(paramsOf(exp.runs[0]), tf.tensor2d([[v.view.kind === 'mlp2d' ? v.view.extent.x1 : 0, v.view.kind === 'mlp2d' ? v.view.extent.y1 : 0]])));
    expect(v.view.outputs.data[255]).toBeCloseTo(z.dataSync()[0], 5);
    z.dispose();

    const h1 = harness();
    await h1.send({
      type: 'start',
      config: loadExperiment({ version: 1, problem: { kind: 'mlp', data: { kind: 'dataset', name: 'sine', n: 40 }, loss: 'mse' }, runs: [{ algorithm: 'sgd' }], steps: 2 }),
      backend: 'cpu',
    });
    await h1.send({ type: 'requestView', run: 0, grid: 20 });
    const v1 = h1.of('view').at(-1)!.view;
    expect(v1.kind).toBe('mlp1d');
    if (v1.kind === 'mlp1d') expect(v1.x).toHaveLength(20);

    const nmfAlg = ALGORITHMS['nmf-mu'] ? 'nmf-mu' : ALGORITHMS['nmf-mm'] ? 'nmf-mm' : null;
    if (nmfAlg) {
      const h2 = harness();
      await h2.send({
        type: 'start',
        config: loadExperiment({ version: 1, problem: { kind: 'nmf', rank: 3, data: { kind: 'synthetic', rows: 12, cols: 10 } }, runs: [{ algorithm: nmfAlg }], steps: 4 }),
        backend: 'cpu',
      });
      expect(h2.curve(0).steps).toEqual([1, 2, 3, 4]);
      await h2.send({ type: 'requestView', run: 0 });
      const v2 = h2.of('view').at(-1)!.view;
      if (v2.kind !== 'nmf') throw new Error(v2.kind);
      expect(v2.V.shape).toEqual([12, 10]);
      expect(v2.WH.shape).toEqual([12, 10]);
      expect(v2.W.shape).toEqual([12, 3]);
      expect(v2.H.shape).toEqual([3, 10]);
    }
  });

  it('moves to another backend at the same step: transfer (setBackend) and replay (device lost) both continue the same curve', async () => {
    const config = mlp([{ algorithm: 'sgd', hyper: { lr: 0.1, momentum: 0.9 } }, { ...OTHER }], {}, 1000);
    const ref = runExperiment({ ...config, steps: 30 });
    const host = fakeHost();
    const h = harness(host);
    await h.send({ type: 'start', config, backend: 'webgpu', play: false });
    await h.send({ type: 'step', n: 10 });
    await h.send({ type: 'setBackend', backend: 'webgl' });
    expect(h.of('backendChanged').at(-1)).toMatchObject({ from: 'webgpu', to: 'webgl', cause: 'requested', restoredBy: 'transfer', t: 10 });
    expect(h.s.step).toBe(10);
    await h.send({ type: 'step', n: 10 });
    await h.send({ type: 'loseBackend' });
    const bc = h.of('backendChanged').at(-1)!;
    expect(bc).toMatchObject({ from: 'webgl', to: 'wasm', cause: 'device-lost', restoredBy: 'replay', t: 20 });
    expect(bc.reason).toMatch(/continuing on WASM at step 20/);
    expect(h.of('ready').at(-1)!.backend).toBe('wasm');
    await h.send({ type: 'step', n: 10 });
    for (let i = 0; i < 2; i++) {
      const c = h.curve(i);
      expect(c.steps).toEqual(Array.from({ length: 30 }, (_, k) => k + 1));
      expect(c.loss).toEqual(f32(ref.runs[i].losses.slice(1)));
    }
  });

  it('device loss on a GPU backend resumes from the last checkpoint (exactly the same curve)', async () => {
    const config = mlp([{ algorithm: 'sgd', hyper: { lr: 0.1, momentum: 0.9 } }, { ...OTHER }], {}, 1000);
    const host = fakeHost();
    const h = harness(host, 0); // checkpoint after every tick
    await h.send({ type: 'start', config, backend: 'webgl', play: false });
    await h.send({ type: 'step', n: 12 });
    await h.send({ type: 'step', n: 4 });
    await h.send({ type: 'loseBackend' });
    expect(h.of('backendChanged').at(-1)!.reason).toMatch(/continuing on WASM at step 16 \(replayed from the checkpoint at step 16\)/);
    // A switch invalidates the checkpoint taken at the same step.
    host.name = 'webgl';
    await h.send({ type: 'setBackend', backend: 'webgl' });
    await h.send({ type: 'step', n: 4 });
    await h.send({ type: 'switchAlgorithm', run: 1, algorithm: 'sgd', hyper: { lr: 0.05 } });
    await h.send({ type: 'loseBackend' });
    expect(h.of('backendChanged').at(-1)!.reason).toMatch(/at step 20 \(replayed from the config\)/);
    await h.send({ type: 'step', n: 6 });
    const ref = runExperiment({ ...h.s.currentConfig!, steps: 26 });
    for (let i = 0; i < 2; i++) expect(h.curve(i).loss).toEqual(f32(ref.runs[i].losses.slice(1)));
  });

  it('requestSurrogate: f and g along the step (g(θₜ) = f(θₜ)) and on a plane, without leaking tensors', async () => {
    const runs: unknown[] = [{ algorithm: 'sgd', hyper: { lr: 0.5 } }];
    const mm = ALGORITHMS['mm-lipschitz'] ? 'mm-lipschitz' : null;
    if (mm) runs.push({ algorithm: mm });
    const h = harness();
    await h.send({ type: 'start', config: mlp(runs, { batchSize: null }, 5), backend: 'cpu', play: true });
    await h.send({ type: 'requestSurrogate', run: 0, kind: 'slice', requestId: 3 });
    const n0 = tf.memory().numTensors;
    await h.send({ type: 'requestSurrogate', run: 0, kind: 'slice', points: 11, range: [0, 1] });
    expect(tf.memory().numTensors).toBe(n0);
    const [first, e] = h.of('surrogate').slice(-2);
    expect(first.requestId).toBe(3);
    expect(first.data.kind === 'slice' && first.data.s).toHaveLength(41);
    expect(e.t).toBe(5);
    expect(e.algorithm).toBe('sgd');
    expect(e.certified).toBe(false);
    expect(e.objective).toBe('full');
    expect(e.formula).toMatch(/lr/);
    if (e.data.kind !== 'slice') throw new Error('slice expected');
    expect(Array.from(e.data.s)).toEqual(f32(Array.from({ length: 11 }, (_, i) => i / 10)));
    const fNow = h.curve(0).loss.at(-1)!;
    expect(e.data.f[0]).toBeCloseTo(fNow, 5);
    expect(e.data.g[0]).toBeCloseTo(fNow, 5);
    // The slice's s = 1 is the next step's point: f there is what the next step reaches.
    await h.send({ type: 'step', n: 1 });
    expect(e.data.f[10]).toBeCloseTo(h.curve(0).loss.at(-1)!, 4);

    await h.send({ type: 'requestSurrogate', run: 0, kind: 'plane', points: 9 });
    const pl = h.of('surrogate').at(-1)!;
    if (pl.data.kind !== 'plane') throw new Error('plane expected');
    expect(pl.data.a).toHaveLength(9);
    expect(pl.data.f).toHaveLength(81);
    expect(pl.data.g).toHaveLength(81);
    if (mm) {
      await h.send({ type: 'requestSurrogate', run: 1, kind: 'slice' });
      const m = h.of('surrogate').at(-1)!;
      expect(m.certified).toBe(true);
      expect(m.violations).toBe(0);
    }
    expect(tf.memory().numTensors).toBe(n0);
  });
});
