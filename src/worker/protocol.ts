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
import type { AlgorithmFamily } from '../core/types';
import type { RunStatus, SwitchRecord } from '../core/run';

export type { ExperimentConfig, RunStatus, SwitchRecord };

/**
 * What the lab can run on: 'fused' is the fused engine (src/core/fused: MLPs trained by gradient
 * optimizers on flat float32 arrays, WebAssembly SIMD kernels, no tfjs in the loop), the others are
 * the tfjs backends. A session on 'fused' hands over to a tfjs backend (exactly, at the same step)
 * when a run switches to an algorithm the fused engine does not run; views and surrogates of its runs
 * are computed on a tfjs copy.
 */
export const BACKENDS = ['fused', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = 'auto' | BackendName;
/** The tfjs backends, in fallback order (the fused engine falls back to the tfjs backend it keeps, else WASM, CPU, …). */
export const TFJS_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const satisfies readonly BackendName[];

// ─────────────────────────────────────────── commands (main → worker) ──────────────────────────────

/**
 * Builds the experiment (replacing any current one), selects the backend, posts `ready`, `started`,
 * `config` and, if `play` (default true), starts streaming `progress`.
 * With backend 'auto' (and no resumeAt) a preview `started` (t = 0, built on CPU) comes first, so the
 * page can plot f(θ₀) before the calibration ends; the calibrated `ready` and `started` (same epoch,
 * rebuilt on the chosen backend) follow and replace it.
 * The worker re-validates `config` with parseExperiment; invalid input answers `error` with
 * `errors` (one "path: reason" line each) and leaves the previous session untouched.
 */
export interface StartCmd {
  type: 'start';
  /** The experiment config (output of parseExperiment, or any input parseExperiment accepts). */
  config: ExperimentConfig;
  /**
   * 'auto' = short calibration on this problem (≤ ~1.5 s), fastest wins (the fused engine too, when
   * every run uses a gradient optimizer on an MLP). Default 'auto'.
   */
  backend?: BackendChoice;
  /** Start playing right away (default true). */
  play?: boolean;
  /**
   * Restore: silently replay up to this step count before streaming (used by client.ts after a worker
   * crash). Progress for steps ≤ resumeAt is not posted; `started` reports t = resumeAt.
   */
  resumeAt?: number;
  /** Test hook: treat these backends as failing to initialise (proves the fallback chain in e2e). */
  failBackends?: BackendName[];
}

/** Stop stepping (commands still answered). Posts `state`. */
export interface PauseCmd {
  type: 'pause';
}

/** Continue stepping until `config.steps`. Posts `state`. */
export interface ResumeCmd {
  type: 'resume';
}

/**
 * Pause (if playing) and advance exactly `n` steps (every active run), then stay paused.
 * Works past `config.steps` (runs marked 'done' are re-activated).
 */
export interface StepCmd {
  type: 'step';
  n: number;
}

/**
 * Speed control. `stepsPerTick`: 'auto' (default: adapt K so one tick takes ~16–30 ms of compute) or a
 * fixed K ≥ 1. `stepsPerSecond`: cap on the step rate (slow motion for teaching), null = uncapped.
 * Omitted fields keep their value.
 */
export interface SetSpeedCmd {
  type: 'setSpeed';
  stepsPerTick?: number | 'auto';
  stepsPerSecond?: number | null;
}

/**
 * Change the target number of steps (config.steps, recorded in the reported config). Raising it
 * re-activates runs marked 'done'.
 */
export interface SetStepsCmd {
  type: 'setSteps';
  steps: number;
}

/**
 * Switch run `run` to another algorithm *now* (after the current step count t): θ is kept, the new
 * algorithm's state starts from its init. Recorded as runs[run].switches {at: t, algorithm, hyper,
 * keepState: false} in the reported config. `hyper` is validated (defaults filled); errors answer
 * `error`. Posts `switched` and `config`.
 */
export interface SwitchAlgorithmCmd {
  type: 'switchAlgorithm';
  run: number;
  algorithm: string;
  hyper?: Record<string, unknown>;
}

/**
 * Same algorithm, new hyper-parameters, state kept (like changing lr in torch). Recorded as a switch
 * {at: t, algorithm: current, hyper, keepState: true}. Posts `switched` and `config`.
 */
export interface SetHyperCmd {
  type: 'setHyper';
  run: number;
  hyper: Record<string, unknown>;
}

/**
 * Back to step 0 with the same backend. By default the switches made mid-run are dropped (the config
 * given to `start`, with its scheduled switches, is replayed); `keepSwitches: true` keeps them.
 * Posts `started` and `config`; keeps the play/pause state.
 */
export interface ResetCmd {
  type: 'reset';
  keepSwitches?: boolean;
}

/**
 * f and the algorithm's g (MM surrogate or implied model of a gradient step) around run `run`'s
 * current θₜ, along the step (slice) or on a plane (plane). Answered with `surrogate`.
 * Optional resolution/extent hints are passed to src/core/surrogate.ts.
 */
export interface RequestSurrogateCmd {
  type: 'requestSurrogate';
  run: number;
  kind: 'slice' | 'plane';
  /** Points along the slice (default 41, ≤ 401) or per plane axis (default 21, ≤ 81). */
  points?: number;
  /** Slice: the s range (default [−0.5, 1.5]); plane: the range of a, along the step (b stays [−1, 1]). */
  range?: [number, number];
  /** Echoed back so the UI can match answers to requests. */
  requestId?: number;
}

/**
 * Pictures of run `run`'s current model. MLP with 2-D inputs: outputs on a G×G grid over the data's
 * range (+ train/test points); MLP with 1-D inputs: the fitted curve; NMF: V, WH, W, H.
 * Answered with `view`.
 */
export interface RequestViewCmd {
  type: 'requestView';
  run: number;
  /** Grid resolution G (default 64, at most 256). */
  grid?: number;
  /** Include the data points (default true; they never change within a session, so ask once). */
  points?: boolean;
  requestId?: number;
}

/**
 * Move the session to another backend (or 'auto' = recalibrate) at the same step: parameters and
 * algorithm states are transferred as arrays (exact); if the old backend is unreadable (device lost)
 * the experiment is replayed from the recorded config to the current step instead.
 * Posts `backendChanged` (reason 'requested') and `ready`.
 */
export interface SetBackendCmd {
  type: 'setBackend';
  backend: BackendChoice;
}

/** Free every tensor; the session is inert afterwards (the client terminates the worker). */
export interface DisposeCmd {
  type: 'dispose';
}

/** Test hook: throws an uncaught error inside the worker (the client must detect and restart). */
export interface CrashCmd {
  type: 'crash';
}

/** Test hook: behave as if the current backend's device was lost (exercises the fallback chain). */
export interface LoseBackendCmd {
  type: 'loseBackend';
}

export type ToWorker =
  | StartCmd
  | PauseCmd
  | ResumeCmd
  | StepCmd
  | SetSpeedCmd
  | SetStepsCmd
  | SwitchAlgorithmCmd
  | SetHyperCmd
  | ResetCmd
  | RequestSurrogateCmd
  | RequestViewCmd
  | SetBackendCmd
  | DisposeCmd
  | CrashCmd
  | LoseBackendCmd;

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
  problem: { kind: 'mlp' | 'nmf'; nTrain: number; paramNames: string[]; hasTest: boolean };
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

/** f and g along the step θ(s) = θₜ + s·Δ (Δ = the algorithm's next step; NMF: its own path). */
export interface SurrogateSliceData {
  kind: 'slice';
  /** Positions s along the path; s = 0 is θₜ, s = 1 the algorithm's next point. */
  s: Float32Array;
  /** f(θ(s)) */
  f: Float32Array;
  /** g(θ(s)|θₜ) */
  g: Float32Array;
}

/** f and g on the plane θₜ + a·u + b·v (u = the step, v = a seeded random direction ⟂ u, ‖v‖ = ‖u‖). */
export interface SurrogatePlaneData {
  kind: 'plane';
  /** Axis coordinates (a along the step, b across). */
  a: Float32Array;
  b: Float32Array;
  /** Row-major: f[j·a.length + i] is at (a[i], b[j]). */
  f: Float32Array;
  g: Float32Array;
}

export interface SurrogateEvt {
  type: 'surrogate';
  epoch: number;
  run: number;
  requestId?: number;
  /** Step count the surrogate was built at (θₜ). */
  t: number;
  algorithm: string;
  /** true ⇔ g is a proven majorizer (MM). */
  certified: boolean;
  /** 'global': g ≥ f everywhere; 'step': proven at the accepted next iterate only; 'none': implied model. */
  certificate: 'global' | 'step' | 'none';
  /** Legend formula, e.g. "f(θₖ) + ∇f(θₖ)·Δ + ‖Δ‖²/(2·lr)". */
  formula: string;
  data: SurrogateSliceData | SurrogatePlaneData;
  /** Extra positions along s to mark (e.g. { mmPoint: γ } on NMF's path H̃ ⊙ Rᵗ, where s = 1 is the heuristic MU point). */
  marks?: Record<string, number>;
  /** Grid points where g < f − tol (g fails to majorize f there). */
  violations: number;
  /** The float32 tolerance used for `violations`. */
  tol: number;
  /** ‖θₜ₊₁ − θₜ‖ (slice) or the plane's direction length ‖d₁‖ = ‖d₂‖ (plane). */
  stepNorm: number;
  /** f here is the full training risk, or the mini-batch objective the next step minimises. */
  objective: 'full' | 'minibatch';
}

/** A matrix as a flat row-major Float32Array. */
export interface Matrix {
  data: Float32Array;
  shape: [number, number];
}

/** Data points for an MLP view (inputs row-major [n, d], labels/targets y). */
export interface PointSet {
  X: Matrix;
  y: Float32Array;
}

export interface MLPGridView {
  kind: 'mlp2d';
  /** Grid resolution G; inputs (x0 + i·dx, y0 + j·dy), i, j ∈ [0, G). */
  grid: number;
  extent: { x0: number; x1: number; y0: number; y1: number };
  /**
   * Network outputs on the grid, row-major [G·G, outDim] with row index j·G + i (j along y).
   * bce: logits (p = σ(z)); softmax_ce: logits per class; mse: the prediction.
   */
  outputs: Matrix;
  loss: 'bce' | 'softmax_ce' | 'mse';
  train?: PointSet;
  test?: PointSet;
}

export interface MLPCurveView {
  kind: 'mlp1d';
  /** Inputs x_i (G of them, over the data range) and predictions. */
  x: Float32Array;
  outputs: Matrix;
  loss: 'bce' | 'softmax_ce' | 'mse';
  train?: PointSet;
  test?: PointSet;
}

export interface NMFView {
  kind: 'nmf';
  V: Matrix;
  WH: Matrix;
  W: Matrix;
  H: Matrix;
  beta: number;
}

/** The problem has no picture (e.g. an MLP with more than 2 inputs); `message` says why. */
export interface NoView {
  kind: 'none';
  message: string;
}

export interface ViewEvt {
  type: 'view';
  epoch: number;
  run: number;
  requestId?: number;
  t: number;
  view: MLPGridView | MLPCurveView | NMFView | NoView;
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
  | BackendChangedEvt
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
    if (!a || seen.has(a.buffer) || !(a.buffer instanceof ArrayBuffer)) return;
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
    default:
      break;
  }
  return out;
}
