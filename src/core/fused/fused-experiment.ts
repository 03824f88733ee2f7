/**
 * Experiments on the fused engine: the fold of core/experiment.ts (same runs, same initial
 * parameters, same mini-batch order through the same BatchSchedule, same switch and divergence
 * semantics, same ExperimentResult) for MLPs trained by the algorithms of ./algorithms.ts, without tfjs.
 *
 * `canFuse(config)` says whether a config can run here; `runFusedExperiment` is the headless fold
 * (the CLI's `--backend js`); `FusedExperiment` is the steppable form for a live session.
 */
import type { ExperimentConfig } from '../config';
import { runLabel } from '../config';
import { BatchSchedule, finishRunResult, type ExperimentResult, type RunOptions, type RunResult } from '../experiment';
import { FusedRun } from './fused-run';
import { FUSED_SCOPE, isFusedAlgorithm } from './algorithms';
import { buildFusedProblem, type FusedOptions, type FusedProblem } from './problem';

/** The name the fused engine reports as `backend`. */
export const FUSED_BACKEND = 'js-fused';

/** True when the problem is an MLP and every run, and every scheduled switch, uses a fused algorithm (./algorithms.ts). */
export function canFuse(config: ExperimentConfig): boolean {
  return (
    config.problem.kind === 'mlp' &&
    config.runs.every((r) => isFusedAlgorithm(r.algorithm) && r.switches.every((s) => isFusedAlgorithm(s.algorithm)))
  );
}

export interface FusedStepOptions {
  /** Evaluate the test objective after the step (default true when there is test data). */
  withTest?: boolean;
  /** Full batch: compute ∇f together with f after the step, for the next step (default true). */
  prefetch?: boolean;
  /** Called after each run's step and evaluation (lastLoss, lastTestLoss are set). */
  onRecord?: (i: number, run: FusedRun) => void;
}

export class FusedExperiment {
  readonly problem: FusedProblem;
  readonly runs: FusedRun[];
  /** Global step counter (every active run has taken this many steps). */
  t = 0;
  /** Milliseconds each run spent stepping and evaluating. */
  readonly wallMs: number[];
  private readonly schedule: BatchSchedule | null;

  constructor(
    readonly config: ExperimentConfig,
    opts: FusedOptions = {},
  ) {
    if (!canFuse(config)) throw new Error(`the fused engine runs ${FUSED_SCOPE} only`);
    this.problem = buildFusedProblem(config, opts);
    const p = config.problem;
    const n = this.problem.train.n;
    this.schedule =
      p.kind === 'mlp' && p.batchSize !== null && p.batchSize < n ? new BatchSchedule(n, p.batchSize, config.seeds.batch) : null;
    this.runs = config.runs.map((rc, i) => {
      const run = new FusedRun(runLabel(rc, i), rc.algorithm, rc.hyper, this.problem);
      this.applySwitches(run, i);
      return run;
    });
    this.wallMs = this.runs.map(() => 0);
  }

  get fullBatch(): boolean {
    return this.schedule === null;
  }

  get hasTest(): boolean {
    return this.problem.test !== null;
  }

  /** The rows step `t` uses (a view into the schedule's permutation), or null for the full set. */
  rowsAt(t: number): Int32Array | null {
    return this.schedule ? this.schedule.indices(t) : null;
  }

  /** Applies the config's scheduled switches for run i that are due at its current step. */
  applySwitches(run: FusedRun, i: number): void {
    for (const s of this.config.runs[i].switches) {
      if (s.at === run.t && !run.switches.some((r) => r.at === s.at && r.to === s.algorithm)) run.switchTo(s.algorithm, s.hyper, s.keepState);
    }
  }

  /** f(θ) (and test f) of every run at its current parameters; a non-finite f stops the run. */
  evaluateAll(opts: FusedStepOptions = {}): void {
    const withTest = opts.withTest ?? this.hasTest;
    this.runs.forEach((run, i) => {
      const t0 = performance.now();
      const v = run.evaluate(withTest, this.fullBatch && (opts.prefetch ?? true));
      this.wallMs[i] += performance.now() - t0;
      opts.onRecord?.(i, run);
      run.checkFinite(v, run.t);
    });
  }

  /**
   * One step of every active run on objective t, each followed by the evaluation of f (and test f)
   * after it, then the switches due at the new step count (runExperiment's order).
   */
  step(opts?: FusedStepOptions): void {
    const rows = this.rowsAt(this.t);
    const withTest = opts?.withTest ?? this.hasTest;
    const prefetch = this.fullBatch && (opts?.prefetch ?? true);
    const runs = this.runs;
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i];
      if (!run.active) continue;
      const t0 = performance.now();
      run.step(rows);
      if (run.active) {
        const v = run.evaluate(withTest, prefetch);
        this.wallMs[i] += performance.now() - t0;
        opts?.onRecord?.(i, run);
        run.checkFinite(v, run.t);
      } else this.wallMs[i] += performance.now() - t0;
    }
    this.t += 1;
    for (let i = 0; i < runs.length; i++) if (runs[i].active && this.config.runs[i].switches.length) this.applySwitches(runs[i], i);
  }
}

/** runExperiment on the fused engine: the same ExperimentResult, with backend 'js-fused'. */
export function runFusedExperiment(config: ExperimentConfig, opts: RunOptions & FusedOptions = {}): ExperimentResult {
  const fx = new FusedExperiment(config, opts);
  const recordTest = (opts.recordTest ?? true) && fx.hasTest;
  const results: RunResult[] = fx.runs.map((run) => ({
    id: run.id,
    algorithm: run.algorithm,
    status: run.status,
    losses: [],
    ...(recordTest ? { testLosses: [] } : {}),
    switches: run.switches,
    steps: 0,
    wallMs: 0,
    stepsPerSec: 0,
  }));
  const onRecord = (i: number, run: FusedRun): void => {
    results[i].losses.push(run.lastLoss);
    if (recordTest) results[i].testLosses!.push(run.lastTestLoss);
  };
  fx.evaluateAll({ withTest: recordTest, prefetch: config.steps > 0, onRecord });
  for (let t = 0; t < config.steps; t++) {
    if (!fx.runs.some((r) => r.active)) break;
    fx.step({ withTest: recordTest, prefetch: t + 1 < config.steps, onRecord });
    opts.onStep?.(fx.t);
  }
  // wallMs: the steps and the evaluations after them, plus the initial evaluation (it computes step 1's gradient)
  fx.runs.forEach((run, i) => finishRunResult(results[i], run, fx.wallMs[i]));
  return { backend: FUSED_BACKEND, steps: config.steps, runs: results };
}
