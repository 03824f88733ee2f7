/**
 * An experiment: one problem, several runs from the same initial parameters and the same mini-batch
 * order, stepped side by side. The worker drives it tick by tick; `runExperiment` folds it headless.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from './config';
import { runLabel } from './config';
import { buildProblem } from './problems/build';
import { BatchSchedule } from './fold/schedule';
import { finishRunResult, type ExperimentResult, type RunOptions, type RunResult } from './fold/result';
import { Run } from './run';

export { BatchSchedule } from './fold/schedule';
export { finishRunResult, type ExperimentResult, type RunOptions, type RunResult } from './fold/result';
import type { Objective, Problem } from './types';

export interface LossTensors {
  train: tf.Scalar;
  test: tf.Scalar | null;
}

export class Experiment {
  readonly problem: Problem;
  readonly runs: Run[];
  /** Global step counter (every active run has taken this many steps). */
  t = 0;
  private readonly schedule: BatchSchedule | null;

  constructor(readonly config: ExperimentConfig) {
    this.problem = buildProblem(config);
    const p = config.problem;
    this.schedule =
      p.kind === 'mlp' && p.batchSize !== null && p.batchSize < this.problem.nTrain
        ? new BatchSchedule(this.problem.nTrain, p.batchSize, config.seeds.batch)
        : null;
    this.runs = config.runs.map((rc, i) => {
      const run = new Run(runLabel(rc, i), rc.algorithm, rc.hyper, this.problem.initialParams(), this.problem.full);
      this.applySwitches(run, i, this.problem.full);
      return run;
    });
  }

  /** The objective step `t` minimises: the full training set or that step's mini-batch. */
  objectiveAt(t: number): { obj: Objective; dispose: () => void } {
    if (!this.schedule) return { obj: this.problem.full, dispose: () => {} };
    const b = this.problem.batch(this.schedule.indices(t));
    return { obj: b, dispose: () => b.dispose() };
  }

  /** Applies the config's scheduled switches for run i that are due at its current step. */
  applySwitches(run: Run, i: number, obj: Objective): void {
    for (const s of this.config.runs[i].switches) {
      if (s.at === run.t && !run.switches.some((r) => r.at === s.at && r.to === s.algorithm)) run.switchTo(s.algorithm, s.hyper, obj, s.keepState);
    }
  }

  /** f(θ) on the training set (and test set) for one run, as tensors the caller reads and disposes. */
  evaluate(run: Run): LossTensors {
    const train = tf.tidy(() => this.problem.full.loss(run.params));
    const test = this.problem.testLoss ? tf.tidy(() => this.problem.testLoss!(run.params)) : null;
    return { train, test };
  }

  /** One step of every active run on the same objective. */
  step(): void {
    const { obj, dispose } = this.objectiveAt(this.t);
    try {
      this.runs.forEach((run, i) => {
        if (!run.active) return;
        run.step(obj);
        // Switches start the new state on the full objective, as runExperiment does.
        this.applySwitches(run, i, this.problem.full);
      });
    } finally {
      dispose();
    }
    this.t += 1;
  }

  dispose(): void {
    this.runs.forEach((r) => r.dispose());
    this.problem.dispose();
  }
}

/**
 * Runs a whole experiment headless and synchronously. Each run is timed on its own (its steps plus
 * the evaluation of f after each step), so steps/s compare algorithms fairly.
 */
export function runExperiment(config: ExperimentConfig, opts: RunOptions = {}): ExperimentResult {
  const exp = new Experiment(config);
  const recordTest = (opts.recordTest ?? true) && !!exp.problem.testLoss;
  const results: RunResult[] = exp.runs.map((run) => ({
    id: run.id,
    algorithm: run.algorithm.id,
    status: run.status,
    losses: [],
    ...(recordTest ? { testLosses: [] } : {}),
    switches: run.switches,
    steps: 0,
    wallMs: 0,
    stepsPerSec: 0,
  }));
  const record = (i: number): void => {
    const run = exp.runs[i];
    const { train, test } = exp.evaluate(run);
    const v = train.dataSync()[0];
    results[i].losses.push(v);
    if (recordTest && test) results[i].testLosses!.push(test.dataSync()[0]);
    tf.dispose([train, test ?? []]);
    run.checkFinite(v, run.t);
  };
  exp.runs.forEach((_, i) => record(i));
  try {
    for (let t = 0; t < config.steps; t++) {
      if (!exp.runs.some((r) => r.active)) break;
      const { obj, dispose } = exp.objectiveAt(t);
      exp.runs.forEach((run, i) => {
        if (!run.active) return;
        const t0 = performance.now();
        run.step(obj);
        if (run.active) record(i);
        results[i].wallMs += performance.now() - t0;
      });
      dispose();
      exp.t += 1;
      exp.runs.forEach((run, i) => run.active && exp.applySwitches(run, i, exp.problem.full));
      opts.onStep?.(exp.t);
    }
    exp.runs.forEach((run, i) => finishRunResult(results[i], run, results[i].wallMs));
  } finally {
    exp.dispose();
  }
  return { backend: tf.getBackend(), steps: config.steps, runs: results };
}
