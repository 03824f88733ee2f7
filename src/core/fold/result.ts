/** The result of a headless fold (every engine's): per run, the recorded losses, switches, status and timing. */
import type { RunStatus, SwitchRecord } from './status';

export interface RunResult {
  id: string;
  algorithm: string;
  status: RunStatus;
  message?: string;
  /**
   * f(θ₀), f(θ₁), … — the objective before the first step and after every step; with evalEvery k > 1,
   * f at the steps `lossSteps` only (0, k, 2k, … and the last).
   */
  losses: number[];
  testLosses?: number[];
  /** The steps of `losses` and `testLosses`: present when they are not every step (evalEvery > 1, --every). */
  lossSteps?: number[];
  /** The step whose evaluation first found f non-finite (with evalEvery k: the first evaluation after it happened). */
  divergedAt?: number;
  switches: SwitchRecord[];
  steps: number;
  wallMs: number;
  stepsPerSec: number;
  /**
   * Classification problems: accuracy (share of correct predictions) at the steps `accuracySteps`
   * (0, k, 2k, … and the last step: thinned, a forward pass each), on the training and the test set,
   * and the final values.
   */
  accuracySteps?: number[];
  trainAccuracies?: number[];
  testAccuracies?: number[];
  trainAccuracy?: number;
  testAccuracy?: number;
}

export interface ExperimentResult {
  backend: string;
  steps: number;
  /** Steps per epoch: ceil(nTrain / batchSize) for mini-batches, 1 for the full batch. */
  stepsPerEpoch?: number;
  /** Epochs the budget of steps amounts to (steps / stepsPerEpoch). */
  epochs?: number;
  /** f evaluated every this many steps (config evalEvery, resolved); absent when every step. */
  evalEvery?: number;
  runs: RunResult[];
}

/**
 * Completes a run's result at the end of a fold (every engine's): a running run is done; status,
 * message, divergence step, steps, and steps/s over `wallMs` (its steps and the evaluations after them).
 */
export function finishRunResult(
  r: RunResult,
  run: { status: RunStatus; message: string; divergedAt: number | null; t: number },
  wallMs: number,
): void {
  if (run.status === 'running') run.status = 'done';
  r.status = run.status;
  if (run.message) r.message = run.message;
  if (run.divergedAt !== null) r.divergedAt = run.divergedAt;
  r.steps = run.t;
  r.stepsPerSec = wallMs > 0 ? Math.round(((1000 * run.t) / wallMs) * 10) / 10 : 0;
  r.wallMs = Math.round(wallMs * 100) / 100;
}

export interface RunOptions {
  /** Record the test objective too (default true when the problem has test data). */
  recordTest?: boolean;
  /** Called after each step with the step count. */
  onStep?: (t: number) => void;
  /** Record accuracy every this many steps (default: about 100 points over the budget). */
  accuracyEvery?: number;
}

/** The default accuracy interval: about 100 points over `steps` (a forward pass on both sets each). */
export function defaultAccuracyEvery(steps: number): number {
  return Math.max(1, Math.ceil(steps / 100));
}

/**
 * The accuracy interval a fold uses: `asked` (default about 100 points over `steps`) rounded up to a
 * multiple of k, the steps where f — and so θ's record — is evaluated (evalEvery, or the CLI's --every).
 */
export function accuracyInterval(steps: number, k: number, asked = defaultAccuracyEvery(steps)): number {
  return k * Math.ceil(asked / k);
}

/**
 * Records a run's accuracy (train, and test when `withTest`) at step `t` into its result; the final
 * values follow the last record. `accuracy` is the problem's (EngineProblem.accuracy).
 */
export function recordAccuracy(r: RunResult, t: number, accuracy: (which: 'train' | 'test') => number, withTest: boolean): void {
  if (r.accuracySteps?.at(-1) === t) return;
  const train = accuracy('train');
  (r.accuracySteps ??= []).push(t);
  (r.trainAccuracies ??= []).push(train);
  r.trainAccuracy = train;
  if (withTest) {
    const test = accuracy('test');
    (r.testAccuracies ??= []).push(test);
    r.testAccuracy = test;
  }
}
