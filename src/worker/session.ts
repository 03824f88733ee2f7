/**
 * The live training session: an Experiment stepped tick by tick, streaming compact progress batches.
 * No DOM and no worker globals — worker.ts feeds it commands and gives it `post`; the unit tests drive
 * it in Node on tfjs's cpu backend.
 *
 * - Commands are queued and executed one at a time between ticks, never in the middle of one.
 * - A tick takes K steps of every active run (all runs see the same mini-batch at step t), evaluates f
 *   (and the test f) after each step as tensors, stacks them and reads them back with ONE
 *   `await data()` (no dataSync in the loop), then posts one `progress` message with typed arrays.
 * - K adapts so a tick takes ~16–30 ms of compute (or is fixed by setSpeed); ticks are separated by a
 *   macrotask yield (MessageChannel in the worker, setTimeout in Node) so commands are handled promptly.
 * - Divergence: the first non-finite f of a run stops that run (status 'diverged', divergedAt); the
 *   points after it in the same tick are dropped; the other runs continue.
 * - Determinism: the step order is exactly runExperiment's (step every active run on objective t,
 *   evaluate, then apply the config's switches due at the new step count on the full objective), so
 *   the same config gives the same curve, and a config with recorded switches replays a live session.
 * - Switches made mid-run are recorded into the reported config as runs[i].switches {at, algorithm,
 *   hyper, keepState}. Two switches of one run at the same step are merged into one entry (replaying
 *   both would be ambiguous), and applied live exactly as the merged entry replays.
 * - Backend change (setBackend): parameters and algorithm states are copied out as arrays and back in
 *   on the new backend (exact, same step). If the old backend is unreadable (device lost, or a GPU
 *   backend throws while training) the session restores the last checkpoint (webgpu/webgl sessions copy
 *   θ and states out asynchronously every ~3 s) or, without one, rebuilds from the recorded config, and
 *   replays silently to the same step on the next backend in the fallback order.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig, RunConfig } from '../core/config';
import { mlpSizes, parseExperiment, parseHyper, runLabel } from '../core/config';
import { Experiment } from '../core/experiment';
import { mlpData } from '../core/problems/build';
import type { MLPProblem } from '../core/problems/mlp';
import type { NMFProblem } from '../core/problems/nmf';
import { getAlgorithm } from '../core/algorithms/registry';
import type { Run, RunStatus, SwitchRecord } from '../core/run';
import { computeSurrogate } from './surrogate-adapter';
import { createBackendHost, nextBackend, backendLabel, type BackendHost, type Selection } from './backend';
import {
  transferablesOf,
  type BackendChoice,
  type BackendName,
  type FromWorker,
  type Matrix,
  type MLPCurveView,
  type MLPGridView,
  type NMFView,
  type NoView,
  type PointSet,
  type ProgressBlock,
  type RunMeta,
  type ToWorker,
  type ViewEvt,
} from './protocol';

export type Post = (msg: FromWorker, transfer: Transferable[]) => void;

/** Distributes FromWorker without the epoch field (Session stamps it). */
type Unstamped<T> = T extends FromWorker ? Omit<T, 'epoch'> : never;

export interface SessionOptions {
  post: Post;
  /** Backend layer (default: real tfjs backends). */
  backends?: BackendHost;
  /** Runs `fn` after `delayMs` as a macrotask (default: MessageChannel when delay is 0 in a worker, else setTimeout). */
  schedule?: (fn: () => void, delayMs: number) => void;
  /** Compute time per tick the auto speed aims for, ms (default 22, i.e. within 16–30). */
  targetTickMs?: number;
  /** Calibration budget for 'auto', ms (default 1500). */
  calibrationMs?: number;
  /** On webgpu/webgl: copy θ and states out at most this often, ms (default 3000), for device-loss recovery. */
  checkpointMs?: number;
}

const MAX_K = 4096;
/** How often a GPU session copies its state out for device-loss recovery. */
const CHECKPOINT_MS = 3000;

interface Snapshot {
  t: number;
  runs: {
    algorithm: string;
    hyper: Record<string, unknown>;
    params: SnapTensor[];
    state: unknown;
    t: number;
    status: RunStatus;
    message: string;
    divergedAt: number | null;
    switches: SwitchRecord[];
  }[];
}

interface SnapTensor {
  __snapTensor: true;
  data: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: tf.DataType;
}

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

function clone<T>(x: T): T {
  return structuredClone(x);
}

/** A numeric-only copy of StepInfo values (NaN for missing / non-numeric). */
function numericInfo(info: Record<string, unknown>): [string, number][] {
  const out: [string, number][] = [];
  for (const [k, v] of Object.entries(info)) {
    if (typeof v === 'number') out.push([k, v]);
    else if (typeof v === 'boolean') out.push([k, v ? 1 : 0]);
  }
  return out;
}

export class Session {
  private readonly post: Post;
  private readonly host: BackendHost;
  private readonly schedule: (fn: () => void, delayMs: number) => void;
  private readonly targetTickMs: number;
  private readonly calibrationMs: number;
  private readonly checkpointMs: number;

  private epoch = 0;
  private exp: Experiment | null = null;
  /** The config given to `start` (validated), for reset without the mid-run switches. */
  private baseConfig: ExperimentConfig | null = null;
  /** The config as it stands now: base + mid-run switches (+ setSteps). */
  private config: ExperimentConfig | null = null;
  private backend: BackendName = 'cpu';
  private failBackends: BackendName[] = [];
  private lostBackends: BackendName[] = [];

  private playing = false;
  private pendingSteps = 0;
  private kMode: number | 'auto' = 'auto';
  private k = 1;
  private rateCap: number | null = null;
  private nextDelay = 0;
  private wallMs: number[] = [];
  private reported: RunStatus[] = [];
  private rateWindow: { time: number; steps: number }[] = [];
  /**
   * On GPU backends (which can lose their device) a copy of every run's θ and state is read back
   * asynchronously every few seconds, so that recovery replays from there rather than from step 0.
   */
  private checkpoint: { snap: Snapshot; wall: number[] } | null = null;
  private checkpointAt = 0;
  private viewCache: { train?: PointSet; test?: PointSet; extent?: MLPGridView['extent']; xRange?: [number, number] } | null = null;

  private readonly queue: ToWorker[] = [];
  private internal: (() => Promise<void>)[] = [];
  private looping = false;
  private disposed = false;

  constructor(opts: SessionOptions) {
    this.post = opts.post;
    this.host = opts.backends ?? createBackendHost();
    this.schedule = opts.schedule ?? defaultSchedule();
    this.targetTickMs = opts.targetTickMs ?? 22;
    this.calibrationMs = opts.calibrationMs ?? 1500;
    this.checkpointMs = opts.checkpointMs ?? CHECKPOINT_MS;
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
    return this.exp?.t ?? 0;
  }
  get isPlaying(): boolean {
    return this.playing;
  }
  get currentConfig(): ExperimentConfig | null {
    return this.config ? clone(this.config) : null;
  }
  get experiment(): Experiment | null {
    return this.exp;
  }
  get stepsPerTick(): number {
    return this.k;
  }

  /** The backend layer reports a lost device: fall back and replay (queued like a command). */
  backendLost(reason: string): void {
    this.internal.push(() => this.fallback('device-lost', reason));
    this.kick();
  }

  // ───────────────────────────────────────── loop ─────────────────────────────────────────────────

  private emit(msg: Unstamped<FromWorker>): void {
    const m = { ...msg, epoch: this.epoch } as FromWorker;
    this.post(m, transferablesOf(m));
  }

  private kick(): void {
    if (this.looping || this.disposed) return;
    this.looping = true;
    void this.loop();
  }

  private wantsTick(): boolean {
    const exp = this.exp;
    if (!exp || this.disposed || !exp.runs.some((r) => r.active)) return false;
    return this.pendingSteps > 0 || (this.playing && exp.t < this.config!.steps);
  }

  private async loop(): Promise<void> {
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
          await this.tick(false);
        } catch (e) {
          await this.guard(() => this.tickFailed(e), undefined);
        }
        if ((this.backend === 'webgpu' || this.backend === 'webgl') && performance.now() - this.checkpointAt >= this.checkpointMs) {
          await this.guard(() => this.takeCheckpoint(), undefined);
        }
        const delay = this.nextDelay;
        this.nextDelay = 0;
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
    const message = e instanceof Error ? e.message : String(e);
    if (this.backend === 'webgpu' || this.backend === 'webgl') {
      await this.fallback('device-lost', `${backendLabel(this.backend)} failed while training (${message})`);
      return;
    }
    this.playing = false;
    this.pendingSteps = 0;
    this.emit({ type: 'error', message: `training stopped: ${message}` });
    this.postState();
  }

  private async guard(fn: () => Promise<void>, command: ToWorker['type'] | undefined): Promise<void> {
    try {
      await fn();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.emit({ type: 'error', message, ...(command ? { command } : {}) });
    }
  }

  // ───────────────────────────────────────── commands ─────────────────────────────────────────────

  private async exec(cmd: ToWorker): Promise<void> {
    switch (cmd.type) {
      case 'start':
        return this.start(cmd);
      case 'pause':
        this.playing = false;
        this.pendingSteps = 0;
        return this.postState();
      case 'resume':
        if (!this.exp) throw new Error('no experiment: send start first');
        this.playing = true;
        if (this.exp.t < this.config!.steps) this.reactivateDone();
        return this.postState();
      case 'step': {
        if (!this.exp) throw new Error('no experiment: send start first');
        const n = Math.floor(cmd.n);
        if (!(n >= 1)) throw new Error(`step: n must be a positive integer, got ${cmd.n}`);
        this.playing = false;
        this.pendingSteps += n;
        this.reactivateDone();
        return this.postState();
      }
      case 'setSpeed':
        if (cmd.stepsPerTick !== undefined) {
          if (cmd.stepsPerTick === 'auto') this.kMode = 'auto';
          else {
            const k = Math.floor(cmd.stepsPerTick);
            if (!(k >= 1 && k <= MAX_K)) throw new Error(`setSpeed: stepsPerTick must be 'auto' or an integer in [1, ${MAX_K}]`);
            this.kMode = k;
            this.k = k;
          }
        }
        if (cmd.stepsPerSecond !== undefined) {
          if (cmd.stepsPerSecond !== null && !(cmd.stepsPerSecond > 0)) throw new Error('setSpeed: stepsPerSecond must be > 0 or null');
          this.rateCap = cmd.stepsPerSecond;
        }
        return this.postState();
      case 'setSteps': {
        if (!this.config) throw new Error('no experiment: send start first');
        const s = Math.floor(cmd.steps);
        if (!(s >= 0 && s <= 1_000_000)) throw new Error('setSteps: steps must be an integer in [0, 1000000]');
        this.config.steps = s;
        if (this.exp && this.exp.t < s) this.reactivateDone();
        else if (this.exp && !this.pendingSteps)
          this.exp.runs.forEach((r, i) => {
            if (r.status === 'running') {
              r.status = 'done';
              this.reportStatus(i);
            }
          });
        this.emit({ type: 'config', config: clone(this.config) });
        return this.postState();
      }
      case 'switchAlgorithm':
        return this.switchRun(cmd.run, cmd.algorithm, cmd.hyper ?? {}, false);
      case 'setHyper': {
        const run = this.runAt(cmd.run);
        return this.switchRun(cmd.run, run.algorithm.id, { ...run.hyper, ...cmd.hyper }, true);
      }
      case 'reset':
        return this.reset(cmd.keepSwitches ?? false);
      case 'requestSurrogate':
        return this.surrogate(cmd);
      case 'requestView':
        return this.view(cmd);
      case 'setBackend':
        return this.changeBackend(cmd.backend);
      case 'loseBackend':
        return this.fallback('device-lost', `${backendLabel(this.backend)} lost (simulated by the loseBackend test hook)`);
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

  private runAt(i: number): Run {
    const exp = this.exp;
    if (!exp) throw new Error('no experiment: send start first');
    if (!Number.isInteger(i) || i < 0 || i >= exp.runs.length) throw new Error(`run ${i} does not exist (0..${exp.runs.length - 1})`);
    return exp.runs[i];
  }

  private postState(): void {
    this.emit({
      type: 'state',
      playing: this.playing,
      t: this.exp?.t ?? 0,
      target: this.config?.steps ?? 0,
      stepsPerTick: this.kMode,
      stepsPerSecond: this.rateCap,
      pendingSteps: this.pendingSteps,
    });
  }

  private reactivateDone(): void {
    this.exp?.runs.forEach((r, i) => {
      if (r.status === 'done') {
        r.status = 'running';
        this.reportStatus(i);
      }
    });
  }

  private reportStatus(i: number, silent = false): void {
    const r = this.exp!.runs[i];
    if (this.reported[i] === r.status) return;
    this.reported[i] = r.status;
    if (!silent) this.emit({ type: 'runStatus', run: i, status: r.status, message: r.message, divergedAt: r.divergedAt });
  }

  private async start(cmd: Extract<ToWorker, { type: 'start' }>): Promise<void> {
    const parsed = parseExperiment(cmd.config);
    if (!parsed.ok) {
      this.emit({ type: 'error', message: `invalid experiment config:\n  ${parsed.errors.join('\n  ')}`, errors: parsed.errors, command: 'start' });
      return;
    }
    this.disposeExperiment();
    this.epoch += 1;
    this.baseConfig = parsed.config;
    this.config = clone(parsed.config);
    this.failBackends = [...(cmd.failBackends ?? [])];
    this.lostBackends = [];
    this.viewCache = null;
    this.playing = false;
    this.pendingSteps = 0;
    this.k = this.kMode === 'auto' ? 1 : this.kMode;

    const choice = cmd.backend ?? 'auto';
    const resumeAt = Math.max(0, Math.floor(cmd.resumeAt ?? 0));
    if (choice === 'auto' && resumeAt === 0) await this.preview();

    const sel = await this.host.select(choice, this.config, {
      failBackends: this.failBackends,
      budgetMs: this.calibrationMs,
    });
    this.adoptBackend(sel);
    if (sel.reasonKind === 'fallback') {
      this.emit({ type: 'backendChanged', from: null, to: sel.backend, cause: 'init-failure', reason: sel.reason, restoredBy: 'fresh', t: 0 });
    }
    this.emit({ type: 'ready', backend: sel.backend, reasonKind: sel.reasonKind, reason: sel.reason, backends: sel.backends });

    await this.build(this.config, resumeAt);
    this.playing = cmd.play ?? true;
    await this.postStarted();
    this.emit({ type: 'config', config: clone(this.config) });
    this.postState();
  }

  /**
   * 'auto' start: the calibration takes up to ~1.5 s, so f(θ₀) is shown first. The experiment is built
   * on CPU (no initialisation cost) and posted as a preview `started` (t = 0, same epoch, no `ready`
   * yet), then dropped; the calibrated start follows and is built afresh on the winning backend, so a
   * session always runs on the backend it was built on (same link, same curve). Skipped silently when
   * CPU is unusable: the calibrated start reports whatever goes wrong.
   */
  private async preview(): Promise<void> {
    try {
      const sel = await this.host.select('cpu', this.config!, { failBackends: this.failBackends, budgetMs: 0 });
      if (sel.backend !== 'cpu') return;
      this.backend = 'cpu';
      await this.build(this.config!, 0);
      await this.postStarted();
    } catch {
      /* no preview */
    } finally {
      try {
        this.disposeExperiment();
      } catch {
        this.exp = null;
      }
    }
  }

  private adoptBackend(sel: Selection): void {
    this.backend = sel.backend;
    this.host.watchLoss((reason) => this.backendLost(reason));
  }

  /** New Experiment from `config` at step 0, then a silent replay to `toStep`. */
  private async build(config: ExperimentConfig, toStep: number): Promise<void> {
    this.disposeExperiment();
    this.checkpoint = null;
    this.checkpointAt = performance.now();
    this.exp = new Experiment(clone(config));
    this.wallMs = this.exp.runs.map(() => 0);
    this.reported = this.exp.runs.map((r) => r.status);
    this.rateWindow = [];
    const t0 = await this.readLosses();
    this.exp.runs.forEach((r, i) => r.checkFinite(t0.loss[i], 0));
    this.exp.runs.forEach((_, i) => this.reportStatus(i, true));
    if (toStep > 0) await this.replayTo(toStep);
  }

  private async replayTo(toStep: number): Promise<void> {
    const exp = this.exp!;
    const savedPending = this.pendingSteps;
    while (exp.t < toStep && exp.runs.some((r) => r.active)) {
      this.pendingSteps = toStep - exp.t;
      await this.tick(true);
    }
    this.pendingSteps = savedPending;
    // Reaching the target while replaying marks runs done, as playing would have.
    if (exp.t >= this.config!.steps) exp.runs.forEach((r) => r.status === 'running' && (r.status = 'done'));
    exp.runs.forEach((_, i) => this.reportStatus(i, true));
  }

  /** f and test f of every run at the current point, read back asynchronously. */
  private async readLosses(): Promise<{ loss: Float32Array; testLoss: Float32Array }> {
    const exp = this.exp!;
    const ts: tf.Tensor[] = [];
    for (const run of exp.runs) {
      const { train, test } = exp.evaluate(run);
      ts.push(train, test ?? tf.scalar(NaN));
    }
    const stacked = tf.stack(ts);
    tf.dispose(ts);
    const v = (await stacked.data()) as Float32Array;
    stacked.dispose();
    const n = exp.runs.length;
    const loss = new Float32Array(n);
    const testLoss = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      loss[i] = v[2 * i];
      testLoss[i] = v[2 * i + 1];
    }
    return { loss, testLoss };
  }

  private runMeta(run: Run, i: number): RunMeta {
    const rc = this.config!.runs[i];
    return {
      run: i,
      id: run.id,
      label: runLabel(rc, i),
      algorithm: run.algorithm.id,
      algorithmLabel: run.algorithm.label,
      family: run.algorithm.family,
      hyper: clone(run.hyper),
      status: run.status,
      switches: clone(run.switches),
    };
  }

  private async postStarted(): Promise<void> {
    const exp = this.exp!;
    const { loss, testLoss } = await this.readLosses();
    this.emit({
      type: 'started',
      runs: exp.runs.map((r, i) => this.runMeta(r, i)),
      t: exp.t,
      loss,
      testLoss,
      problem: { kind: exp.problem.kind, nTrain: exp.problem.nTrain, paramNames: exp.problem.paramNames, hasTest: !!exp.problem.testLoss },
      config: clone(this.config!),
      backend: this.backend,
    });
  }

  private async reset(keepSwitches: boolean): Promise<void> {
    if (!this.config || !this.baseConfig) throw new Error('no experiment: send start first');
    const wasPlaying = this.playing;
    this.epoch += 1;
    const steps = this.config.steps;
    this.config = keepSwitches ? clone(this.config) : { ...clone(this.baseConfig), steps };
    this.pendingSteps = 0;
    this.playing = false;
    await this.build(this.config, 0);
    this.playing = wasPlaying;
    await this.postStarted();
    this.emit({ type: 'config', config: clone(this.config) });
    this.postState();
  }

  /** Mid-run switch / hyper change, recorded in the config (merged with one already at this step). */
  private async switchRun(i: number, algorithm: string, hyperIn: Record<string, unknown>, keepState: boolean): Promise<void> {
    const run = this.runAt(i);
    const exp = this.exp!;
    const config = this.config!;
    if (run.status === 'diverged' || run.status === 'error') throw new Error(`run ${i} has stopped (${run.status}): reset to try again`);
    const rc: RunConfig = config.runs[i];
    const h = parseHyper(algorithm, hyperIn, config.problem.kind, ['runs', i, 'switches', rc.switches.length]);
    if (!h.ok) {
      this.emit({ type: 'error', message: h.errors.join('\n'), errors: h.errors, command: keepState ? 'setHyper' : 'switchAlgorithm' });
      return;
    }
    const at = run.t;
    // A checkpoint taken at this very step would not see this switch when replaying from it.
    this.checkpoint = null;
    const keep = keepState && algorithm === run.algorithm.id;
    // One entry per run and step: a switch at a step that already has one (scheduled or mid-run)
    // replaces it, keeping state only if every merged entry did. Applied live it gives exactly the
    // state a replay of the merged entry gives (θ has not moved in between).
    const same = rc.switches.filter((s) => s.at === at);
    const applyKeep = keep && same.every((s) => s.keepState);
    rc.switches = rc.switches.filter((s) => s.at !== at);
    rc.switches.push({ at, algorithm, hyper: h.hyper, keepState: applyKeep });
    rc.switches.sort((a, b) => a.at - b.at);
    const from = run.algorithm.id;
    run.switchTo(algorithm, h.hyper, exp.problem.full, applyKeep);
    if (run.status === 'running' && exp.t >= config.steps && !this.pendingSteps) run.status = 'done';
    this.reportStatus(i);
    const record = run.switches[run.switches.length - 1] ?? { at, from, to: algorithm, hyper: h.hyper, keepState: applyKeep };
    this.emit({ type: 'switched', run: i, record: clone(record), algorithmLabel: run.algorithm.label, family: run.algorithm.family, hyper: clone(h.hyper) });
    this.emit({ type: 'config', config: clone(config) });
  }

  // ───────────────────────────────────────── the tick ─────────────────────────────────────────────

  private ticketK(): number {
    const exp = this.exp!;
    let k = this.kMode === 'auto' ? this.k : this.kMode;
    if (this.rateCap !== null) k = Math.min(k, Math.max(1, Math.floor(this.rateCap * 0.1)));
    if (this.pendingSteps > 0) k = Math.min(k, this.pendingSteps);
    else k = Math.min(k, Math.max(0, this.config!.steps - exp.t));
    return Math.max(1, k);
  }

  private async tick(silent: boolean): Promise<void> {
    const exp = this.exp!;
    const runs = exp.runs;
    const nRuns = runs.length;
    const K = this.ticketK();
    const tStart = performance.now();
    const ts: tf.Tensor[] = [];
    // Per run: the steps taken this tick, the index of each step's train loss in `ts` (test at +1).
    const stepsOf: number[][] = runs.map(() => []);
    const idxOf: number[][] = runs.map(() => []);
    const infoOf: [string, number][][][] = runs.map(() => []);
    const switchesBefore = runs.map((r) => r.switches.length);
    const runMs = new Float64Array(nRuns);
    const hasTest = !!exp.problem.testLoss;
    let done = 0;
    try {
      for (let k = 0; k < K; k++) {
        if (!runs.some((r) => r.active)) break;
        const { obj, dispose } = exp.objectiveAt(exp.t);
        try {
          runs.forEach((run, i) => {
            if (!run.active) return;
            const s0 = performance.now();
            run.step(obj);
            if (run.active) {
              const { train, test } = exp.evaluate(run);
              idxOf[i].push(ts.length);
              ts.push(train, test ?? tf.scalar(NaN));
              stepsOf[i].push(run.t);
              infoOf[i].push(numericInfo(run.lastInfo));
            }
            runMs[i] += performance.now() - s0;
          });
        } finally {
          dispose();
        }
        exp.t += 1;
        runs.forEach((run, i) => run.active && exp.applySwitches(run, i, exp.problem.full));
        done += 1;
      }
    } catch (e) {
      tf.dispose(ts);
      throw e;
    }
    const syncMs = performance.now() - tStart;
    let values: Float32Array = new Float32Array(0);
    if (ts.length) {
      const stacked = tf.stack(ts);
      tf.dispose(ts);
      try {
        values = (await stacked.data()) as Float32Array;
      } finally {
        stacked.dispose();
      }
    }
    const tickMs = performance.now() - tStart;
    if (this.exp !== exp) return; // disposed meanwhile (cannot happen with the queue, but be safe)

    // Time: each run's own synchronous work, plus the readback wait shared pro rata.
    const sumRun = runMs.reduce((a, b) => a + b, 0);
    const wait = Math.max(0, tickMs - syncMs);
    const blocks: ProgressBlock[] = [];
    for (let i = 0; i < nRuns; i++) {
      const run = runs[i];
      const steps = stepsOf[i];
      const share = sumRun > 0 ? runMs[i] / sumRun : 1 / nRuns;
      const perStep = steps.length ? (runMs[i] + wait * share) / steps.length : 0;
      let n = steps.length;
      // First non-finite f stops the run; later points of this tick are dropped.
      for (let j = 0; j < steps.length; j++) {
        const v = values[idxOf[i][j]];
        if (!Number.isFinite(v)) {
          run.checkFinite(v, steps[j]);
          n = j + 1;
          break;
        }
      }
      const base = this.wallMs[i];
      this.wallMs[i] += perStep * n;
      if (n > 0 && !silent) {
        const m = n;
        const b: ProgressBlock = {
          run: i,
          steps: new Int32Array(m),
          loss: new Float32Array(m),
          testLoss: new Float32Array(m),
          wallMs: new Float64Array(m),
        };
        const extraKeys = new Set<string>();
        for (let j = 0; j < n; j++) infoOf[i][j].forEach(([key]) => extraKeys.add(key));
        const extras: Record<string, Float32Array> = {};
        extraKeys.forEach((key) => (extras[key] = new Float32Array(m).fill(NaN)));
        for (let j = 0; j < n; j++) {
          b.steps[j] = steps[j];
          b.loss[j] = values[idxOf[i][j]];
          b.testLoss[j] = hasTest ? values[idxOf[i][j] + 1] : NaN;
          b.wallMs[j] = base + perStep * (j + 1);
          infoOf[i][j].forEach(([key, v]) => (extras[key][j] = v));
        }
        if (extraKeys.size) b.extras = extras;
        blocks.push(b);
      }
      // Scheduled switches applied this tick (not past a divergence).
      const limit = run.divergedAt ?? Infinity;
      if (!silent)
        for (const rec of run.switches.slice(switchesBefore[i])) {
          if (rec.at > limit) continue;
          const alg = getAlgorithm(rec.to);
          this.emit({ type: 'switched', run: i, record: clone(rec), algorithmLabel: alg.label, family: alg.family, hyper: clone(rec.hyper) });
        }
    }
    if (this.pendingSteps > 0) this.pendingSteps = Math.max(0, this.pendingSteps - done);

    // Speed: adapt K towards the target tick time (grow at most ×2 per tick).
    if (this.kMode === 'auto' && done === K && done > 0) {
      const ideal = (K * this.targetTickMs) / Math.max(tickMs, 0.25);
      this.k = Math.max(1, Math.min(MAX_K, Math.round(Math.min(ideal, 2 * K))));
    }
    const now = performance.now();
    this.rateWindow.push({ time: now, steps: done });
    while (this.rateWindow.length > 1 && now - this.rateWindow[0].time > 1000) this.rateWindow.shift();
    const span = now - (this.rateWindow.length > 1 ? this.rateWindow[0].time : tStart);
    const stepsInWindow = this.rateWindow.reduce((a, w) => a + w.steps, 0) - (this.rateWindow.length > 1 ? this.rateWindow[0].steps : 0);
    const stepsPerSec = span > 0 ? (1000 * stepsInWindow) / span : 0;
    if (this.rateCap !== null) this.nextDelay = Math.max(0, (1000 * done) / this.rateCap - tickMs);

    if (blocks.length && !silent) {
      this.emit({ type: 'progress', t: exp.t, blocks, stepsPerTick: K, tickMs, stepsPerSec });
    }
    if (silent) return;
    runs.forEach((_, i) => this.reportStatus(i));

    // Target reached, or nothing left to run.
    if (this.pendingSteps === 0 && exp.t >= this.config!.steps) {
      runs.forEach((r, i) => {
        if (r.status === 'running') {
          r.status = 'done';
          this.reportStatus(i);
        }
      });
    }
    if ((this.playing || this.pendingSteps) && !runs.some((r) => r.active)) {
      this.playing = false;
      this.pendingSteps = 0;
      this.postState();
    } else if (this.pendingSteps === 0 && !this.playing && done > 0) {
      // A `step n` finished.
      this.postState();
    }
  }

  // ───────────────────────────────────────── surrogate & view ─────────────────────────────────────

  private async surrogate(cmd: Extract<ToWorker, { type: 'requestSurrogate' }>): Promise<void> {
    const run = this.runAt(cmd.run);
    const exp = this.exp!;
    if (run.status === 'diverged' || run.status === 'error') throw new Error(`run ${cmd.run} has stopped (${run.status}): no surrogate at a non-finite point`);
    const res = await computeSurrogate(exp, run, cmd);
    this.emit({ type: 'surrogate', run: cmd.run, ...(cmd.requestId !== undefined ? { requestId: cmd.requestId } : {}), t: run.t, ...res });
  }

  private async view(cmd: Extract<ToWorker, { type: 'requestView' }>): Promise<void> {
    const run = this.runAt(cmd.run);
    const exp = this.exp!;
    const G = Math.max(2, Math.min(256, Math.floor(cmd.grid ?? 64)));
    const withPoints = cmd.points ?? true;
    let view: ViewEvt['view'];
    if (exp.problem.kind === 'nmf') view = await this.nmfView(exp.problem as NMFProblem, run);
    else view = await this.mlpView(exp.problem as MLPProblem, run, G, withPoints);
    this.emit({ type: 'view', run: cmd.run, ...(cmd.requestId !== undefined ? { requestId: cmd.requestId } : {}), t: run.t, view });
  }

  private points(): NonNullable<Session['viewCache']> {
    if (this.viewCache) return this.viewCache;
    const p = this.config!.problem;
    if (p.kind !== 'mlp') return (this.viewCache = {});
    const data = mlpData(p, this.config!.seeds.data);
    const d = mlpSizes(p)[0];
    const toSet = (X: number[][], y: number[]): PointSet => ({
      X: { data: Float32Array.from(X.flat()), shape: [X.length, d] },
      y: Float32Array.from(y),
    });
    const all = [...data.X, ...(data.Xtest ?? [])];
    const range = (c: number): [number, number] => {
      let lo = Infinity;
      let hi = -Infinity;
      for (const x of all) {
        lo = Math.min(lo, x[c]);
        hi = Math.max(hi, x[c]);
      }
      const pad = 0.1 * (hi - lo || 1);
      return [lo - pad, hi + pad];
    };
    const cache: NonNullable<Session['viewCache']> = {
      train: toSet(data.X, data.y),
      test: data.Xtest && data.ytest && data.Xtest.length ? toSet(data.Xtest, data.ytest) : undefined,
    };
    if (d === 2) {
      const [x0, x1] = range(0);
      const [y0, y1] = range(1);
      cache.extent = { x0, x1, y0, y1 };
    } else if (d === 1) cache.xRange = range(0);
    return (this.viewCache = cache);
  }

  private async mlpView(problem: MLPProblem, run: Run, G: number, withPoints: boolean): Promise<MLPGridView | MLPCurveView | NoView> {
    const d = problem.spec.sizes[0];
    const out = problem.spec.sizes[problem.spec.sizes.length - 1];
    if (d !== 1 && d !== 2) return { kind: 'none', message: `the inputs have ${d} dimensions; the decision boundary is drawn for 1-D and 2-D inputs only` };
    const cache = this.points();
    const pts = (s?: PointSet): PointSet | undefined => (s && withPoints ? { X: { data: s.X.data.slice(), shape: s.X.shape }, y: s.y.slice() } : undefined);
    const predict = async (inputs: Float32Array, n: number): Promise<Matrix> => {
      const z = tf.tidy(() => problem.predict(run.params, tf.tensor2d(inputs, [n, d])));
      const data = (await z.data()) as Float32Array;
      z.dispose();
      return { data, shape: [n, out] };
    };
    if (d === 2) {
      const e = cache.extent!;
      const inputs = new Float32Array(G * G * 2);
      for (let j = 0; j < G; j++)
        for (let i = 0; i < G; i++) {
          inputs[2 * (j * G + i)] = e.x0 + ((e.x1 - e.x0) * i) / (G - 1);
          inputs[2 * (j * G + i) + 1] = e.y0 + ((e.y1 - e.y0) * j) / (G - 1);
        }
      return { kind: 'mlp2d', grid: G, extent: { ...e }, outputs: await predict(inputs, G * G), loss: problem.spec.loss, train: pts(cache.train), test: pts(cache.test) };
    }
    const [x0, x1] = cache.xRange!;
    const x = new Float32Array(G);
    for (let i = 0; i < G; i++) x[i] = x0 + ((x1 - x0) * i) / (G - 1);
    return { kind: 'mlp1d', x, outputs: await predict(x.slice(), G), loss: problem.spec.loss, train: pts(cache.train), test: pts(cache.test) };
  }

  private async nmfView(problem: NMFProblem, run: Run): Promise<NMFView> {
    const [W, H] = run.params as [tf.Tensor2D, tf.Tensor2D];
    const V = problem.full.V;
    const WH = tf.matMul(W, H);
    const read = async (t: tf.Tensor): Promise<Matrix> => ({ data: Float32Array.from((await t.data()) as Float32Array), shape: [t.shape[0]!, t.shape[1]!] });
    try {
      const [v, wh, w, h] = await Promise.all([read(V), read(WH), read(W), read(H)]);
      return { kind: 'nmf', V: v, WH: wh, W: w, H: h, beta: problem.beta };
    } finally {
      WH.dispose();
    }
  }

  // ───────────────────────────────────────── backends ─────────────────────────────────────────────

  private async snapshot(): Promise<Snapshot> {
    const exp = this.exp!;
    const snapTensor = async (t: tf.Tensor): Promise<SnapTensor> => ({
      __snapTensor: true,
      data: (await t.data()).slice() as SnapTensor['data'],
      shape: [...t.shape],
      dtype: t.dtype,
    });
    const snapAny = async (x: unknown): Promise<unknown> => {
      if (x instanceof tf.Tensor) return snapTensor(x);
      if (Array.isArray(x)) return Promise.all(x.map(snapAny));
      if (ArrayBuffer.isView(x)) return (x as unknown as { slice(): unknown }).slice();
      if (x && typeof x === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(x)) out[k] = await snapAny(v);
        return out;
      }
      return x;
    };
    return {
      t: exp.t,
      runs: await Promise.all(
        exp.runs.map(async (r) => ({
          algorithm: r.algorithm.id,
          hyper: clone(r.hyper),
          params: await Promise.all(r.params.map(snapTensor)),
          state: await snapAny(r.state),
          t: r.t,
          status: r.status,
          message: r.message,
          divergedAt: r.divergedAt,
          switches: clone(r.switches),
        })),
      ),
    };
  }

  private restore(snap: Snapshot): void {
    this.disposeExperiment();
    const exp = new Experiment(clone(this.config!));
    const toTensor = (s: SnapTensor): tf.Tensor => tf.tensor(s.data, s.shape, s.dtype);
    const fromAny = (x: unknown): unknown => {
      if (x && typeof x === 'object' && (x as SnapTensor).__snapTensor) return toTensor(x as SnapTensor);
      if (Array.isArray(x)) return x.map(fromAny);
      if (ArrayBuffer.isView(x)) return x;
      if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, fromAny(v)]));
      return x;
    };
    exp.t = snap.t;
    exp.runs.forEach((r, i) => {
      const s = snap.runs[i];
      tf.dispose(r.params);
      tf.dispose(r.state);
      r.algorithm = getAlgorithm(s.algorithm);
      r.hyper = s.hyper;
      r.params = s.params.map(toTensor);
      r.state = fromAny(s.state) as tf.TensorContainer;
      r.t = s.t;
      r.status = s.status;
      r.message = s.message;
      r.divergedAt = s.divergedAt;
      r.switches.length = 0;
      r.switches.push(...s.switches);
    });
    this.exp = exp;
  }

  private async takeCheckpoint(): Promise<void> {
    if (!this.exp) return;
    const wall = [...this.wallMs];
    const exp = this.exp;
    const snap = await this.snapshot();
    if (this.exp === exp && exp.t === snap.t) this.checkpoint = { snap, wall };
    this.checkpointAt = performance.now();
  }

  /** setBackend: move the session to `choice` at the same step (arrays transferred). */
  private async changeBackend(choice: BackendChoice): Promise<void> {
    if (!this.config || !this.exp) {
      throw new Error('no experiment: send start first');
    }
    const from = this.backend;
    let snap: Snapshot;
    try {
      snap = await this.snapshot();
    } catch (e) {
      // The old backend cannot be read any more: treat it as lost.
      await this.fallback('device-lost', `${backendLabel(from)} could not be read (${e instanceof Error ? e.message : String(e)})`);
      return;
    }
    const wall = [...this.wallMs];
    const reported = [...this.reported];
    const sel = await this.host.select(choice, this.config, { failBackends: this.failBackends, exclude: this.lostBackends, budgetMs: this.calibrationMs });
    this.adoptBackend(sel);
    this.restore(snap);
    this.wallMs = wall;
    this.reported = reported;
    this.emit({
      type: 'backendChanged',
      from,
      to: sel.backend,
      cause: 'requested',
      reason: sel.reasonKind === 'fallback' ? sel.reason : `switched to ${backendLabel(sel.backend)} as requested (${sel.reason})`,
      restoredBy: 'transfer',
      t: snap.t,
    });
    this.emit({ type: 'ready', backend: sel.backend, reasonKind: sel.reasonKind, reason: sel.reason, backends: sel.backends });
  }

  /** The current backend died: next one in the fallback order, state replayed from the config. */
  private async fallback(cause: 'device-lost' | 'init-failure', reason: string): Promise<void> {
    if (!this.config || !this.exp) return;
    const from = this.backend;
    if (!this.lostBackends.includes(from)) this.lostBackends.push(from);
    const t = this.exp.t;
    const wall = [...this.wallMs];
    const next = nextBackend(from, this.lostBackends);
    if (!next) throw new Error(`${reason}; no other backend left`);
    // The old backend is unusable: drop its tensors without reading them.
    try {
      this.disposeExperiment();
    } catch {
      this.exp = null;
    }
    const sel = await this.host.select(next, this.config, { failBackends: this.failBackends, exclude: this.lostBackends, budgetMs: this.calibrationMs });
    this.adoptBackend(sel);
    const wasPlaying = this.playing;
    const pending = this.pendingSteps;
    const reported = [...this.reported];
    const cp = this.checkpoint && this.checkpoint.snap.t <= t ? this.checkpoint : null;
    this.playing = false;
    this.pendingSteps = 0;
    if (cp) {
      this.restore(cp.snap);
      this.reported = reported;
      await this.replayTo(t);
    } else await this.build(this.config, t);
    this.wallMs = wall;
    this.playing = wasPlaying;
    this.pendingSteps = pending;
    const how = cp ? `replayed from the checkpoint at step ${cp.snap.t}` : 'replayed from the config';
    this.emit({
      type: 'backendChanged',
      from,
      to: sel.backend,
      cause,
      reason: `${reason} — continuing on ${backendLabel(sel.backend)} at step ${t} (${how})`,
      restoredBy: 'replay',
      t,
    });
    this.emit({
      type: 'ready',
      backend: sel.backend,
      reasonKind: 'fallback',
      reason: `${reason}; fell back to ${backendLabel(sel.backend)}`,
      backends: sel.backends,
    });
    this.exp!.runs.forEach((_, i) => this.reportStatus(i));
  }

  // ───────────────────────────────────────── teardown ─────────────────────────────────────────────

  private disposeExperiment(): void {
    const exp = this.exp;
    this.exp = null;
    exp?.dispose();
  }

  dispose(): void {
    this.disposeExperiment();
    this.disposed = true;
    this.playing = false;
    this.pendingSteps = 0;
    this.queue.length = 0;
    this.internal = [];
  }
}
