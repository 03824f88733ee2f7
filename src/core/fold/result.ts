/** The result of a headless fold (every engine's): per run, the recorded losses, switches, status and timing. */
import type { RunStatus, SwitchRecord } from './status';

export interface RunResult {
  id: string;
  algorithm: string;
  status: RunStatus;
  message?: string;
  /** f(θ₀), f(θ₁), … — the objective before the first step and after every step. */
  losses: number[];
  testLosses?: number[];
  divergedAt?: number;
  switches: SwitchRecord[];
  steps: number;
  wallMs: number;
  stepsPerSec: number;
}

export interface ExperimentResult {
  backend: string;
  steps: number;
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
}
