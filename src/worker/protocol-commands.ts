/**
 * The commands of the worker protocol (main → worker; part of ./protocol.ts, which re-exports them).
 */
import type { ExperimentConfig } from '../core/config';
import type { BackendChoice, BackendName } from './backend-names';

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
   * every run of an MLP uses an algorithm the fused engine runs). Default 'auto'.
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
  /** A past step (the scrubber): built at the kept step at or before `at` (src/worker/history.ts); absent: the current step. */
  at?: number;
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
  /** MLP on 2-D points: also each hidden neuron's activation on a small grid (the network view). */
  neurons?: boolean;
  requestId?: number;
  /** A past step (the scrubber), as in RequestSurrogateCmd. */
  at?: number;
}

/**
 * Hear run `run`'s NMF components (audio data only): answered with `audio` (each component's signal
 * by Wiener masking and the inverse STFT, computed in the worker by src/worker/audio.ts), or `error`.
 */
export interface RequestAudioCmd {
  type: 'requestAudio';
  run: number;
  requestId?: number;
}

/**
 * 2-D function problems: f on a G×G grid, run `run`'s surrogate g(·|θₜ) on the same grid, θₜ and
 * θₜ₊₁, and every run's path θ₀ … θₜ (src/worker/contour.ts). Answered with `contour`.
 */
export interface RequestContourCmd {
  type: 'requestContour';
  run: number;
  /** Grid resolution G (default 64, in [8, 160]). */
  grid?: number;
  /** The plotted box (default: the function's own); finite, lo < hi. */
  box?: { x: [number, number]; y: [number, number] };
  requestId?: number;
}

/**
 * Image data sets: run `run`'s first-layer weights, test-set confusion matrix and a strip of test images
 * with predicted and true labels (src/worker/image-views.ts). Answered with `imageViews`, or `error`.
 */
export interface RequestImageViewsCmd {
  type: 'requestImageViews';
  run: number;
  /** Test images evaluated (default 1,000, at most 2,000). */
  maxTest?: number;
  /** Images in the strip (default 24, at most 48). */
  strip?: number;
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
  | RequestAudioCmd
  | RequestContourCmd
  | RequestImageViewsCmd
  | SetBackendCmd
  | DisposeCmd
  | CrashCmd
  | LoseBackendCmd;
