/**
 * An experiment on any engine: one problem, several runs from the same θ₀ and the same mini-batch
 * order, stepped side by side — each step followed by the evaluation of f (and the test f) after it
 * when it is due (every `evalEvery` steps and at the budget's last: eval-every.ts), then the scheduled
 * switches due at the new step count. The worker drives it tick by tick;
 * `foldExperiment` runs it headless into an ExperimentResult.
 */
import type { ExperimentConfig } from '../config';
import { runLabel } from '../config';
import type { EngineProblem } from '../engine/problem';
import type { ObjectiveOps } from '../engine/types';
import { evaluatesAt, resolveEvalEvery } from './eval-every';
import { accuracyInterval, finishRunResult, recordAccuracy, type ExperimentResult, type RunOptions, type RunResult } from './result';
import { Run, type AlgorithmLookup } from './run';
import { BatchSchedule } from './schedule';

export interface StepOptions {
  /** Evaluate the test objective after the step (default true when there is test data). */
  withTest?: boolean;
  /** Full batch: let the engine compute ∇f with f after the step, for the next step (default true). */
  prefetch?: boolean;
  /** Called after each run's evaluation (lastLoss, lastTestLoss are set). */
  onRecord?: (i: number, run: Run) => void;
  /** The budget's last step, always evaluated (default config.steps). */
  lastStep?: number;
}

export class Experiment {
  readonly runs: Run[];
  /** Global step counter (every active run has taken this many steps). */
  t = 0;
  /** Milliseconds each run spent stepping and evaluating. */
  readonly wallMs: number[];
  /** f is evaluated after every k-th step (and the budget's last): the config's evalEvery, resolved. */
  readonly evalEvery: number;
  private readonly schedule: BatchSchedule | null;

  constructor(
    readonly config: ExperimentConfig,
    readonly problem: EngineProblem,
    lookup: AlgorithmLookup,
  ) {
    const p = config.problem;
    const n = problem.nTrain;
    this.schedule = p.kind === 'mlp' && p.batchSize !== null && p.batchSize < n ? new BatchSchedule(n, p.batchSize, config.seeds.batch) : null;
    this.runs = config.runs.map((rc, i) => {
      const run = new Run(runLabel(rc, i), rc.algorithm, rc.hyper, problem, lookup);
      this.applySwitches(run, i);
      return run;
    });
    this.wallMs = this.runs.map(() => 0);
    this.evalEvery = resolveEvalEvery(config).every;
  }

  /** Whether f is evaluated after step t (a multiple of evalEvery, or the budget's last step). */
  evaluatesAt(t: number, lastStep = this.config.steps): boolean {
    return evaluatesAt(t, this.evalEvery, lastStep);
  }

  get fullBatch(): boolean {
    return this.schedule === null;
  }

  get hasTest(): boolean {
    return this.problem.hasTest;
  }

  /** Steps per epoch: ceil(nTrain / batchSize) with mini-batches (the schedule's), 1 for the full batch. */
  get stepsPerEpoch(): number {
    const p = this.config.problem;
    return this.schedule && p.kind === 'mlp' && p.batchSize !== null ? Math.ceil(this.problem.nTrain / p.batchSize) : 1;
  }

  /** Whether runs have an accuracy: a classification MLP on an engine that computes it. */
  get classifies(): boolean {
    const p = this.config.problem;
    return p.kind === 'mlp' && p.loss !== 'mse' && typeof this.problem.accuracy === 'function';
  }

  /** Run i's accuracy on the training or test set at its current θ (NaN where none applies). */
  accuracy(i: number, which: 'train' | 'test'): number {
    return this.classifies ? this.problem.accuracy!(this.runs[i].theta, which) : NaN;
  }

  /** The rows step `t` uses (a view into the schedule's permutation), or null for the full set. */
  rowsAt(t: number): Int32Array | null {
    return this.schedule ? this.schedule.indices(t) : null;
  }

  /** The objective step `t` minimises (its mini-batch, or the full set); `release` after the step. */
  stepObjective(t: number): { f: ObjectiveOps; release(): void } {
    const rows = this.rowsAt(t);
    return rows ? this.problem.batch(rows) : { f: this.problem.full, release: () => {} };
  }

  /** Applies the config's scheduled switches for run i that are due at its current step. */
  applySwitches(run: Run, i: number): void {
    for (const s of this.config.runs[i].switches) {
      if (s.at === run.t && !run.switches.some((r) => r.at === s.at && r.to === s.algorithm)) run.switchTo(s.algorithm, s.hyper, s.keepState);
    }
  }

  /** f(θ) (and test f) of every run at its current parameters; a non-finite f stops the run. */
  evaluateAll(opts: StepOptions = {}): void {
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
   * One step of every active run on objective t, each followed by its evaluation when due, then the due
   * switches. Skipping an evaluation leaves the steps unchanged: a step computes its own f and ∇f on
   * its objective (a prefetch only saves that work); a non-finite f stops a run at the next evaluation.
   */
  step(opts?: StepOptions): void {
    const { f, release } = this.stepObjective(this.t);
    const withTest = opts?.withTest ?? this.hasTest;
    const prefetch = this.fullBatch && (opts?.prefetch ?? true);
    try {
      for (let i = 0; i < this.runs.length; i++) {
        const run = this.runs[i];
        if (!run.active) continue;
        const t0 = performance.now();
        run.step(f);
        if (run.active && this.evaluatesAt(run.t, opts?.lastStep)) {
          const v = run.evaluate(withTest, prefetch);
          this.wallMs[i] += performance.now() - t0;
          opts?.onRecord?.(i, run);
          run.checkFinite(v, run.t);
        } else this.wallMs[i] += performance.now() - t0;
      }
    } finally {
      release();
    }
    this.t += 1;
    for (let i = 0; i < this.runs.length; i++) if (this.runs[i].active && this.config.runs[i].switches.length) this.applySwitches(this.runs[i], i);
  }

  dispose(): void {
    this.runs.forEach((r) => r.dispose());
    this.problem.dispose();
  }
}

/**
 * Runs a whole experiment headless and synchronously into an ExperimentResult. Each run is timed on its
 * own (its steps plus the evaluations of f, and the first evaluation), so steps/s compare algorithms
 * fairly. With evalEvery k > 1 each run's `losses` are f at its `lossSteps` (0, k, 2k, …, the last
 * step), and accuracy is measured at evaluated steps only (its interval rounded up to a multiple of k).
 * The caller's experiment is disposed at the end.
 */
export function foldExperiment(exp: Experiment, backend: string, opts: RunOptions = {}): ExperimentResult {
  const steps = exp.config.steps;
  const recordTest = (opts.recordTest ?? true) && exp.hasTest;
  const k = exp.evalEvery;
  const results: RunResult[] = exp.runs.map((run) => ({
    id: run.id,
    algorithm: run.algorithm.id,
    status: run.status,
    losses: [],
    ...(recordTest ? { testLosses: [] } : {}),
    ...(k > 1 ? { lossSteps: [] } : {}),
    switches: run.switches,
    steps: 0,
    wallMs: 0,
    stepsPerSec: 0,
  }));
  const perEpoch = exp.stepsPerEpoch;
  const epochs = exp.config.problem.kind === 'mlp' ? { stepsPerEpoch: perEpoch, epochs: Math.round((steps / perEpoch) * 1000) / 1000 } : {};
  // Accuracy every `every` steps and at the last one, outside the runs' timers (a forward pass each).
  const every = exp.classifies ? accuracyInterval(steps, k, opts.accuracyEvery) : 0;
  const accuracy = (i: number, run: Run): void => recordAccuracy(results[i], run.t, (which) => exp.accuracy(i, which), recordTest);
  const onRecord = (i: number, run: Run): void => {
    results[i].losses.push(run.lastLoss);
    results[i].lossSteps?.push(run.t);
    if (recordTest) results[i].testLosses!.push(run.lastTestLoss);
    if (every && run.t % every === 0) accuracy(i, run);
  };
  try {
    exp.evaluateAll({ withTest: recordTest, prefetch: steps > 0, onRecord });
    for (let t = 0; t < steps; t++) {
      if (!exp.runs.some((r) => r.active)) break;
      exp.step({ withTest: recordTest, prefetch: t + 1 < steps, onRecord });
      opts.onStep?.(exp.t);
    }
    exp.runs.forEach((run, i) => {
      if (every) accuracy(i, run);
      finishRunResult(results[i], run, exp.wallMs[i]);
    });
  } finally {
    exp.dispose();
  }
  return { backend, steps, ...epochs, ...(k > 1 ? { evalEvery: k } : {}), runs: results };
}
