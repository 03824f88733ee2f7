/**
 * The live training session: an experiment stepped tick by tick, streaming compact progress batches.
 * No DOM and no worker globals — worker.ts feeds it commands and gives it `post`; the unit tests drive
 * it in Node on tfjs's cpu backend (and on the fused engine).
 *
 * - Commands are queued and executed one at a time between ticks, never in the middle of one; ticks
 *   are separated by a macrotask yield (MessageChannel in the worker, setTimeout in Node) so commands
 *   are handled promptly.
 * - A tick (ticking.ts) takes K steps of every active run (all runs see the same mini-batch at step t),
 *   evaluates f (and the test f) after each step — on tfjs as tensors read back with ONE
 *   `await data()`, no dataSync in the loop — and posts one `progress` message with typed arrays.
 *   K adapts so a tick takes ~16–30 ms of compute, or is fixed by setSpeed (pace.ts).
 * - Determinism: the step order is exactly runExperiment's (step every active run on objective t,
 *   evaluate, then apply the config's switches due at the new step count on the full objective), so
 *   the same config gives the same curve, and a config with recorded switches replays a live session.
 * - One experiment on one engine (engine.ts): the fold over a problem built on the cpu engine (backend
 *   'fused', fused-engine.ts) or on tfjs; steps, losses, switches, snapshots, views and surrogates all
 *   go through the engine interface, so nothing here branches on the engine.
 * - Start, reset and replays: lifecycle.ts. Switches recorded into the reported config: switching.ts.
 *   Backend moves, checkpoints and device loss: fallback.ts. Shared state and helpers: state.ts.
 */
import type { ExperimentConfig } from '../core/config';
import type { Experiment } from '../core/fold/experiment';
import { backendLabel, createBackendHost } from './backend';
import { componentAudio } from './audio';
import { computeContour } from './contour';
import { computeImageViews } from './image-views';
import { algId, type EngineName } from './engine';
import { changeBackend, fallback, takeCheckpoint } from './fallback';
import { reset, start } from './lifecycle';
import type { BackendName, ToWorker } from './protocol';
import { clone, SessionState, type SessionOptions } from './state';
import { computeSurrogate } from './surrogate-adapter';
import { switchRun } from './switching';
import { tick } from './ticking';

export type { Post, SessionOptions } from './state';

/** How often a GPU session copies its state out for device-loss recovery. */
const CHECKPOINT_MS = 3000;

function defaultSchedule(): (fn: () => void, delayMs: number) => void {
  const inWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
  if (inWorker && typeof MessageChannel !== 'undefined') {
    const ch = new MessageChannel();
    const queue: (() => void)[] = [];
    ch.port1.onmessage = () => queue.shift()?.();
    return (fn, delayMs) => {
      if (delayMs > 0) setTimeout(fn, delayMs);
      else {
        queue.push(fn);
        ch.port2.postMessage(0);
      }
    };
  }
  return (fn, delayMs) => setTimeout(fn, delayMs);
}

const isGpu = (b: BackendName): boolean => b === 'webgpu' || b === 'webgl';

export class Session {
  private readonly s: SessionState;
  private readonly schedule: (fn: () => void, delayMs: number) => void;
  private readonly queue: ToWorker[] = [];
  private internal: (() => Promise<void>)[] = [];
  private looping = false;
  private disposed = false;

  constructor(opts: SessionOptions) {
    this.s = new SessionState(
      opts.post,
      opts.backends ?? createBackendHost(),
      (reason) => this.backendLost(reason),
      opts.calibrationMs ?? 1500,
      opts.checkpointMs ?? CHECKPOINT_MS,
      opts.targetTickMs ?? 22,
    );
    this.schedule = opts.schedule ?? defaultSchedule();
  }

  // ───────────────────────────────────────── public surface ───────────────────────────────────────

  /** Queue a command; it runs between ticks. */
  handle(msg: ToWorker): void {
    if (this.disposed) return;
    this.queue.push(msg);
    this.kick();
  }

  /** Resolves when the queue is empty and no tick is running or scheduled (tests). */
  async idle(): Promise<void> {
    while (this.looping || this.queue.length || this.internal.length || this.wantsTick()) {
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  /** Read-only views for tests and the worker. */
  get step(): number {
    return this.s.t;
  }
  get isPlaying(): boolean {
    return this.s.playing;
  }
  get currentConfig(): ExperimentConfig | null {
    return this.s.config ? clone(this.s.config) : null;
  }
  /** The experiment (null before start). */
  get experiment(): Experiment | null {
    return this.s.engine.exp;
  }
  /** The engine the experiment runs on ('cpu' on backend 'fused', else 'tfjs'). */
  get engine(): EngineName {
    return this.s.engine.engine;
  }
  /** The backend (or the fused engine) the session runs on now. */
  get backendName(): BackendName {
    return this.s.backend;
  }
  get stepsPerTick(): number {
    return this.s.pace.k;
  }

  /** The backend layer reports a lost device: fall back and replay (queued like a command). */
  backendLost(reason: string): void {
    this.internal.push(() => fallback(this.s, 'device-lost', reason));
    this.kick();
  }

  /** Free every tensor; the session is inert afterwards. */
  dispose(): void {
    this.s.engine.dispose();
    this.disposed = true;
    this.s.playing = false;
    this.s.pendingSteps = 0;
    this.queue.length = 0;
    this.internal = [];
  }

  // ───────────────────────────────────────── loop ─────────────────────────────────────────────────

  private kick(): void {
    if (this.looping || this.disposed) return;
    this.looping = true;
    void this.loop();
  }

  private wantsTick(): boolean {
    const s = this.s;
    if (!s.engine.built || this.disposed || !s.runs.some((r) => r.active)) return false;
    return s.pendingSteps > 0 || (s.playing && s.t < s.config!.steps);
  }

  private async loop(): Promise<void> {
    const s = this.s;
    try {
      for (;;) {
        while (this.internal.length || this.queue.length) {
          const job = this.internal.shift();
          if (job) {
            await this.guard(job, undefined);
            continue;
          }
          const cmd = this.queue.shift()!;
          await this.guard(() => this.exec(cmd), cmd.type);
          if (this.disposed) return;
        }
        if (!this.wantsTick()) break;
        try {
          await tick(s, false);
        } catch (e) {
          await this.guard(() => this.tickFailed(e), undefined);
        }
        if (isGpu(s.backend) && performance.now() - s.checkpointAt >= s.checkpointMs) {
          await this.guard(() => takeCheckpoint(s), undefined);
        }
        const delay = s.pace.takeDelay();
        await new Promise<void>((r) => this.schedule(r, delay));
      }
    } finally {
      this.looping = false;
    }
    // A command may have arrived while the loop was finishing.
    if (this.queue.length || this.internal.length) this.kick();
  }

  /**
   * Steps catch their own errors (the run ends with status 'error'); an exception here comes from
   * evaluating or reading back, i.e. the backend. On a GPU backend that is treated as a lost device
   * (fall back); elsewhere the session pauses and says why.
   */
  private async tickFailed(e: unknown): Promise<void> {
    const s = this.s;
    const message = e instanceof Error ? e.message : String(e);
    if (isGpu(s.backend)) {
      await fallback(s, 'device-lost', `${backendLabel(s.backend)} failed while training (${message})`);
      return;
    }
    s.playing = false;
    s.pendingSteps = 0;
    s.emit({ type: 'error', message: `training stopped: ${message}` });
    s.postState();
  }

  private async guard(fn: () => Promise<void>, command: ToWorker['type'] | undefined): Promise<void> {
    try {
      await fn();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.s.emit({ type: 'error', message, ...(command ? { command } : {}) });
    }
  }

  // ───────────────────────────────────────── commands ─────────────────────────────────────────────

  private async exec(cmd: ToWorker): Promise<void> {
    const s = this.s;
    switch (cmd.type) {
      case 'start':
        return start(s, cmd);
      case 'pause':
        s.playing = false;
        s.pendingSteps = 0;
        return s.postState();
      case 'resume':
        if (!s.engine.built) throw new Error('no experiment: send start first');
        s.playing = true;
        if (s.t < s.config!.steps) s.reactivateDone();
        return s.postState();
      case 'step': {
        if (!s.engine.built) throw new Error('no experiment: send start first');
        const n = Math.floor(cmd.n);
        if (!(n >= 1)) throw new Error(`step: n must be a positive integer, got ${cmd.n}`);
        s.playing = false;
        s.pendingSteps += n;
        s.reactivateDone();
        return s.postState();
      }
      case 'setSpeed':
        s.pace.set(cmd);
        return s.postState();
      case 'setSteps': {
        if (!s.config) throw new Error('no experiment: send start first');
        const steps = Math.floor(cmd.steps);
        if (!(steps >= 0 && steps <= 1_000_000)) throw new Error('setSteps: steps must be an integer in [0, 1000000]');
        s.config.steps = steps;
        if (s.engine.built && s.t < steps) s.reactivateDone();
        else if (s.engine.built && !s.pendingSteps) s.markDone();
        s.emit({ type: 'config', config: clone(s.config) });
        return s.postState();
      }
      case 'switchAlgorithm':
        return switchRun(s, cmd.run, cmd.algorithm, cmd.hyper ?? {}, false);
      case 'setHyper': {
        const run = s.runAt(cmd.run);
        return switchRun(s, cmd.run, algId(run), { ...run.hyper, ...cmd.hyper }, true);
      }
      case 'reset':
        return reset(s, cmd.keepSwitches ?? false);
      case 'requestSurrogate': {
        s.runAt(cmd.run);
        // `at`: a kept past step (the scrubber); the answer's t is the step shown.
        const { run, past, release } = s.engine.history.pick(s.engine.exp!, cmd.run, cmd.at);
        try {
          if (!past && (run.status === 'diverged' || run.status === 'error')) throw new Error(`run ${cmd.run} has stopped (${run.status}): no surrogate at a non-finite point`);
          const t0 = performance.now();
          const res = await computeSurrogate(s.config!, s.engine.exp!, run, cmd);
          const computeMs = performance.now() - t0;
          return s.emit({ type: 'surrogate', run: cmd.run, ...(cmd.requestId !== undefined ? { requestId: cmd.requestId } : {}), t: run.t, computeMs, ...res, kept: s.engine.history.kept(cmd.run) });
        } finally {
          release();
        }
      }
      case 'requestView': {
        s.runAt(cmd.run);
        const { run, release } = s.engine.history.pick(s.engine.exp!, cmd.run, cmd.at);
        try {
          const t0 = performance.now();
          const view = await s.views.view(s.config!, s.engine.exp!, run, cmd);
          const computeMs = performance.now() - t0;
          return s.emit({ type: 'view', run: cmd.run, ...(cmd.requestId !== undefined ? { requestId: cmd.requestId } : {}), t: run.t, computeMs, view, kept: s.engine.history.kept(cmd.run) });
        } finally {
          release();
        }
      }
      case 'requestAudio': {
        const run = s.runAt(cmd.run);
        const audio = await componentAudio(s.config!, s.engine.exp!, run);
        return s.emit({ type: 'audio', run: cmd.run, ...(cmd.requestId !== undefined ? { requestId: cmd.requestId } : {}), t: run.t, ...audio });
      }
      case 'requestContour': {
        const run = s.runAt(cmd.run);
        const t0 = performance.now();
        const res = computeContour(s.config!, s.engine.exp!, run, cmd);
        return s.emit({ type: 'contour', run: cmd.run, ...(cmd.requestId !== undefined ? { requestId: cmd.requestId } : {}), t: run.t, computeMs: performance.now() - t0, ...res });
      }
      case 'requestImageViews': {
        const run = s.runAt(cmd.run);
        const t0 = performance.now();
        const res = await computeImageViews(s.config!, s.engine.exp!, run, cmd);
        return s.emit({ type: 'imageViews', run: cmd.run, ...(cmd.requestId !== undefined ? { requestId: cmd.requestId } : {}), t: run.t, computeMs: performance.now() - t0, ...res });
      }
      case 'setBackend':
        return changeBackend(s, cmd.backend);
      case 'loseBackend':
        return fallback(s, 'device-lost', `${backendLabel(s.backend)} lost (simulated by the loseBackend test hook)`);
      case 'dispose':
        this.dispose();
        return;
      case 'crash':
        // Handled by worker.ts (it must escape the session); a Session on its own reports it.
        throw new Error('crash requested (test hook)');
      default: {
        const never: never = cmd;
        throw new Error(`unknown command ${JSON.stringify((never as { type?: unknown }).type)}`);
      }
    }
  }
}
