/**
 * The typed message protocol between the main thread (src/ui via src/worker/client.ts) and the
 * training worker (src/worker/worker.ts → Session). Every message is a plain structured-cloneable
 * object discriminated on `type`. Large numeric payloads are typed arrays whose buffers are
 * *transferred* (never copied), so the receiver owns them.
 *
 * Conventions
 * - `run` is always the index into `config.runs` (0-based).
 * - A step count `t` is the number of steps taken; losses at `t` are f(θₜ) (t = 0: the initial point).
 * - Every event carries the session's `epoch` (incremented by start and reset; a backend change keeps
 *   it, the curve continues), so the UI can drop messages of a previous experiment still in flight.
 *   client.ts keeps epochs increasing across worker restarts.
 */
import type { ExperimentConfig } from '../core/config';
import type { AlgorithmFamily } from '../core/engine/algorithm';
import type { RunStatus, SwitchRecord } from '../core/run';
import type { ToWorker } from './protocol-commands';
import type { AudioEvt, ContourEvt, ImageViewsEvt, Matrix, SurrogateEvt, ViewEvt } from './protocol-data';

export type { ExperimentConfig, RunStatus, SwitchRecord };
export type { SurrogateSliceData, SurrogatePlaneData, SurrogateEvt, Matrix, PointSet, MLPGridView, MLPCurveView, NMFView, NoView, ViewEvt, AudioEvt, ContourEvt, ImageViewsData, ImageViewsEvt, KeptSteps } from './protocol-data';
export type { StartCmd, PauseCmd, ResumeCmd, StepCmd, SetSpeedCmd, SetStepsCmd, SwitchAlgorithmCmd, SetHyperCmd, ResetCmd, RequestSurrogateCmd, RequestViewCmd, SetBackendCmd, DisposeCmd, CrashCmd, LoseBackendCmd, RequestAudioCmd, RequestContourCmd, RequestImageViewsCmd, ToWorker } from './protocol-commands';

export { BACKENDS, type BackendChoice, type BackendName } from './backend-names';
import type { BackendName } from './backend-names';
/** The tfjs backends, in fallback order (the fused engine falls back to the tfjs backend it keeps, else WASM, CPU, …). */
export const TFJS_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const satisfies readonly BackendName[];

// Commands (main → worker): ./protocol-commands.ts.

// ─────────────────────────────────────────── events (worker → main) ────────────────────────────────

export interface BackendStatus {
  name: BackendName;
  /**
   * available: initialised (and calibrated when 'auto') · unavailable: not registered / not supported
   * by this browser · failed: threw or returned false on init, or was lost · skipped: not tried
   * (calibration budget spent, or a backend was forced).
   */
  status: 'available' | 'unavailable' | 'failed' | 'skipped';
  /** Calibration: mean wall-clock ms per step (step + readback) on the actual problem. */
  msPerStep?: number;
  /** Why it failed / was skipped, for humans. */
  message?: string;
}

/**
 * The backend is chosen (after `start` or `setBackend`), or the session moved between the fused engine
 * and tfjs (a hand-over when a run switches to an algorithm the fused engine does not run: reasonKind
 * 'fallback'; back on the fused engine after `reset`).
 */
export interface ReadyEvt {
  type: 'ready';
  epoch: number;
  backend: BackendName;
  /** Why: 'forced', 'calibration', 'fallback'. */
  reasonKind: 'forced' | 'calibration' | 'fallback';
  /** On 'fused': the tfjs backend that computes views and surrogates and takes over at a hand-over. */
  tfjs?: BackendName;
  /** Human sentence, e.g. "calibration: cpu 4.1 ms/step, webgl 9.8 ms/step, webgpu 31 ms/step → cpu". */
  reason: string;
  backends: BackendStatus[];
}

export interface RunMeta {
  run: number;
  /** runLabel(): the run's id or "1: SGD". */
  id: string;
  label: string;
  algorithm: string;
  /** Label of the algorithm (e.g. 'Adam'). */
  algorithmLabel: string;
  family: AlgorithmFamily;
  hyper: Record<string, unknown>;
  status: RunStatus;
  /** Switches already applied (scheduled at step 0, or replayed on resume/rebuild). */
  switches: SwitchRecord[];
}

/** The experiment is built: t = 0 (or resumeAt), one entry per run. */
export interface StartedEvt {
  type: 'started';
  epoch: number;
  runs: RunMeta[];
  /** Current step count (0 unless resuming/rebuilding). */
  t: number;
  /** f(θₜ) and test f(θₜ) (NaN when the problem has no test data) per run. */
  loss: Float32Array;
  testLoss: Float32Array;
  problem: { kind: 'mlp' | 'nmf' | 'function'; nTrain: number; paramNames: string[]; hasTest: boolean };
  /** The validated config (defaults filled) the session now runs. */
  config: ExperimentConfig;
  backend: BackendName;
}

/**
 * One run's new points in a progress batch. All arrays have the same length (the steps this tick);
 * the buffers are transferred.
 */
export interface ProgressBlock {
  run: number;
  /** Step counts t (1-based: the loss after step t). Strictly increasing. */
  steps: Int32Array;
  /** f(θₜ) on the full training set. */
  loss: Float32Array;
  /** Held-out f(θₜ); NaN when the problem has no test data. */
  testLoss: Float32Array;
  /**
   * Cumulative compute ms of this run since t = 0 of this session (its own steps + evaluations; on
   * async GPU backends the tick's readback wait is shared among runs pro rata). Approximate.
   */
  wallMs: Float64Array;
  /** Numeric StepInfo the algorithm reported (e.g. L, lambda), one array per key; NaN where absent. */
  extras?: Record<string, Float32Array>;
  /**
   * Classification: the run's accuracy at step `t` (train and test share of correct predictions; test
   * NaN without test data). Measured every few ticks, not every step (src/worker/accuracy.ts).
   */
  accuracy?: { t: number; train: number; test: number };
}

/** One message per tick. */
export interface ProgressEvt {
  type: 'progress';
  epoch: number;
  /** Global step count after this tick. */
  t: number;
  blocks: ProgressBlock[];
  /** Steps per tick in use, the tick's compute ms, and the measured rate over the last second. */
  stepsPerTick: number;
  tickMs: number;
  stepsPerSec: number;
}

/** A run's status changed (diverged/error: that run stopped, others continue; done: reached steps). */
export interface RunStatusEvt {
  type: 'runStatus';
  epoch: number;
  run: number;
  status: RunStatus;
  message: string;
  /** Step count at which f first became non-finite (diverged only). */
  divergedAt: number | null;
}

/** A switch (mid-run command, or a scheduled one from the config) was applied to run `run`. */
export interface SwitchedEvt {
  type: 'switched';
  epoch: number;
  run: number;
  record: SwitchRecord;
  /** New algorithm meta for legends. */
  algorithmLabel: string;
  family: AlgorithmFamily;
  /** Validated hyper-parameters now in use. */
  hyper: Record<string, unknown>;
}

/**
 * The config to put in a share link: the start config plus every switch made mid-run as
 * runs[i].switches {at, algorithm, hyper, keepState}. Re-running it reproduces the session's curves.
 * Posted after start/reset/switch/setHyper/setSteps.
 */
export interface ConfigEvt {
  type: 'config';
  epoch: number;
  config: ExperimentConfig;
}

/** Play state, speed and position (after pause/resume/step/setSpeed and when a target is reached). */
export interface StateEvt {
  type: 'state';
  epoch: number;
  playing: boolean;
  t: number;
  /** config.steps */
  target: number;
  stepsPerTick: number | 'auto';
  stepsPerSecond: number | null;
  /** Steps still queued by a `step` command. */
  pendingSteps: number;
}

/**
 * The session moved to another backend (init failure, device loss, a setBackend request, or — cause
 * 'requested' — the fused engine handing over to tfjs because a run switched to an algorithm it does
 * not run).
 */
export interface BackendChangedEvt {
  type: 'backendChanged';
  epoch: number;
  from: BackendName | null;
  to: BackendName;
  cause: 'requested' | 'init-failure' | 'device-lost';
  /** Human sentence, e.g. "WebGPU device lost (reason: unknown) — continuing on webgl at step 1200". */
  reason: string;
  /** How the state moved: arrays copied, or replayed from the recorded config. */
  restoredBy: 'transfer' | 'replay' | 'fresh';
  t: number;
}

/** An image data set is being fetched for `start` (the first time it is used): `fraction` in [0, 1]. */
export interface DataLoadEvt {
  type: 'dataLoad';
  epoch: number;
  name: string;
  fraction: number;
  done: boolean;
}

/** Anything that went wrong handling a command (the session stays usable unless `fatal`). */
export interface ErrorEvt {
  type: 'error';
  epoch: number;
  message: string;
  /** Config/hyper validation messages ("path: reason"), when that was the problem. */
  errors?: string[];
  /** The command that failed, when known. */
  command?: ToWorker['type'];
  fatal?: boolean;
}

export type FromWorker =
  | ReadyEvt
  | StartedEvt
  | ProgressEvt
  | RunStatusEvt
  | SwitchedEvt
  | ConfigEvt
  | StateEvt
  | SurrogateEvt
  | ViewEvt
  | AudioEvt
  | ContourEvt
  | ImageViewsEvt
  | BackendChangedEvt
  | DataLoadEvt
  | ErrorEvt;

/** Reported by client.ts only (never by the worker): the worker died and was restarted. */
export interface WorkerRestartedEvt {
  type: 'workerRestarted';
  reason: string;
  /** Step count the restored session resumes at (the UI keeps its history up to there). */
  t: number;
  /** Restarts so far; client.ts gives up (and reports `error` fatal) after too many in a row. */
  restarts: number;
}

/** What `createLabWorker(onEvent)` delivers to the UI. */
export type LabEvent = FromWorker | WorkerRestartedEvt;

/** Buffers to transfer with an event (progress / view / surrogate typed arrays). */
export function transferablesOf(msg: FromWorker): Transferable[] {
  const out: ArrayBuffer[] = [];
  const seen = new Set<ArrayBufferLike>();
  const add = (a: ArrayBufferView | undefined): void => {
    // Only buffers the view covers whole: a view into a shared slab (engines/cpu) is posted by copy.
    if (!a || seen.has(a.buffer) || !(a.buffer instanceof ArrayBuffer) || a.byteLength !== a.buffer.byteLength) return;
    seen.add(a.buffer);
    out.push(a.buffer);
  };
  const addM = (m?: Matrix): void => add(m?.data);
  switch (msg.type) {
    case 'progress':
      for (const b of msg.blocks) {
        add(b.steps);
        add(b.loss);
        add(b.testLoss);
        add(b.wallMs);
        if (b.extras) Object.values(b.extras).forEach(add);
      }
      break;
    case 'started':
      add(msg.loss);
      add(msg.testLoss);
      break;
    case 'surrogate':
      if (msg.data.kind === 'slice') [msg.data.s, msg.data.f, msg.data.g].forEach(add);
      else [msg.data.a, msg.data.b, msg.data.f, msg.data.g].forEach(add);
      break;
    case 'view': {
      const v = msg.view;
      if (v.kind === 'nmf') [v.V, v.WH, v.W, v.H].forEach(addM);
      else if (v.kind !== 'none') {
        addM(v.outputs);
        if (v.kind === 'mlp1d') add(v.x);
        for (const ps of [v.train, v.test]) if (ps) { addM(ps.X); add(ps.y); }
      }
      break;
    }
    case 'imageViews':
      [msg.confusion, msg.strip.pixels, msg.strip.truth, msg.strip.predicted, msg.weights?.data].forEach(add);
      break;
    case 'audio':
      [msg.mixture, msg.components, msg.W.data, msg.H.data].forEach(add);
      break;
    default:
      break;
  }
  return out;
}
