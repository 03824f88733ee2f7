/**
 * The training session's state, shared by the modules that implement it (session.ts: commands and the
 * loop; lifecycle.ts: start, build, reset; ticking.ts: the tick; switching.ts: mid-run switches;
 * fallback.ts: backend moves and device loss), plus the small helpers they all use
 * (posting events, statuses, play state, `ready`). Session keeps it private: its public API is
 * session.ts's.
 */
import type { ExperimentConfig } from '../core/config';
import type { RunStatus } from '../core/fold/status';
import { backendLabel, type BackendHost, type Selection } from './backend';
import { LabEngine, type AnyRun } from './engine';
import { transferablesOf, type BackendName, type FromWorker } from './protocol';
import type { Snapshot } from './snapshot';
import { Pace } from './pace';
import { ModelViews } from './views';

export type Post = (msg: FromWorker, transfer: Transferable[]) => void;

/** Distributes FromWorker without the epoch field (the state stamps it). */
export type Unstamped<T> = T extends FromWorker ? Omit<T, 'epoch'> : never;

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

export const clone = <T>(x: T): T => structuredClone(x);

export class SessionState {
  epoch = 0;
  readonly engine = new LabEngine();
  /** The config given to `start` (validated), for reset without the mid-run switches. */
  baseConfig: ExperimentConfig | null = null;
  /** The config as it stands now: base + mid-run switches (+ setSteps). */
  config: ExperimentConfig | null = null;

  // ── backends
  /** What the session runs on now ('fused': the cpu engine; else a tfjs backend). */
  backend: BackendName = 'cpu';
  /** The selection chose the cpu engine: builds use it whenever it can run the config. */
  fusedPreferred = false;
  /** The tfjs backend builds use when they are not on the cpu engine. */
  tfjsBackend: BackendName = 'cpu';
  /** The last backend selection (reasons for `ready`). */
  selection: Selection | null = null;
  /** Why the last build is not on the engine the selection chose. */
  handOverNote: string | null = null;
  failBackends: BackendName[] = [];
  lostBackends: BackendName[] = [];
  /**
   * On GPU backends (which can lose their device) a copy of every run's θ and state is read back
   * asynchronously every few seconds, so that recovery replays from there rather than from step 0.
   */
  checkpoint: { snap: Snapshot; wall: number[] } | null = null;
  checkpointAt = 0;

  // ── playing
  playing = false;
  pendingSteps = 0;
  readonly pace: Pace;
  /** Per run: cumulative compute ms since t = 0, and the last status reported. */
  wallMs: number[] = [];
  reported: RunStatus[] = [];
  readonly views = new ModelViews();

  constructor(
    readonly post: Post,
    readonly host: BackendHost,
    /** Called when the backend layer reports a lost device (set by Session). */
    readonly onBackendLost: (reason: string) => void,
    readonly calibrationMs: number,
    readonly checkpointMs: number,
    targetTickMs: number,
  ) {
    this.pace = new Pace(targetTickMs);
  }

  get runs(): AnyRun[] {
    return this.engine.runs;
  }
  get t(): number {
    return this.engine.t;
  }

  emit(msg: Unstamped<FromWorker>): void {
    const m = { ...msg, epoch: this.epoch } as FromWorker;
    this.post(m, transferablesOf(m));
  }

  runAt(i: number): AnyRun {
    const runs = this.runs;
    if (!this.engine.built) throw new Error('no experiment: send start first');
    if (!Number.isInteger(i) || i < 0 || i >= runs.length) throw new Error(`run ${i} does not exist (0..${runs.length - 1})`);
    return runs[i];
  }

  postState(): void {
    this.emit({
      type: 'state',
      playing: this.playing,
      t: this.t,
      target: this.config?.steps ?? 0,
      stepsPerTick: this.pace.kMode,
      stepsPerSecond: this.pace.rateCap,
      pendingSteps: this.pendingSteps,
    });
  }

  reactivateDone(): void {
    this.runs.forEach((r, i) => {
      if (r.status === 'done') {
        r.status = 'running';
        this.reportStatus(i);
      }
    });
  }

  reportStatus(i: number, silent = false): void {
    const r = this.runs[i];
    if (this.reported[i] === r.status) return;
    this.reported[i] = r.status;
    if (!silent) this.emit({ type: 'runStatus', run: i, status: r.status, message: r.message, divergedAt: r.divergedAt });
  }

  /** Marks every running run done (the target is reached). */
  markDone(silent = false): void {
    this.runs.forEach((r, i) => {
      if (r.status === 'running') {
        r.status = 'done';
        this.reportStatus(i, silent);
      }
    });
  }

  adoptBackend(sel: Selection): void {
    this.selection = sel;
    this.backend = sel.backend;
    this.fusedPreferred = sel.backend === 'fused';
    if (sel.backend !== 'fused') this.tfjsBackend = sel.backend;
    this.host.watchLoss(this.onBackendLost);
  }

  /** `ready` for the engine the session is on now, after selection `sel` (and maybe a hand-over since). */
  postReady(sel: Selection): void {
    const onSel = this.backend === sel.backend;
    this.emit({
      type: 'ready',
      backend: this.backend,
      reasonKind: onSel ? sel.reasonKind : 'fallback',
      reason: onSel ? sel.reason : `${sel.reason}; ${this.handOverNote ?? `running on ${backendLabel(this.backend)}`}`,
      backends: sel.backends,
    });
  }

  /** The backend selection options of this session. */
  selectOptions(): { failBackends: BackendName[]; exclude: BackendName[]; budgetMs: number } {
    return { failBackends: this.failBackends, exclude: this.lostBackends, budgetMs: this.calibrationMs };
  }
}
