/**
 * An experiment on the tfjs engine: the engine-generic fold (core/fold/) over the problem a config
 * builds on tfjs (engines/tfjs/problem.ts) — one problem, several runs from the same initial parameters
 * and the same mini-batch order, stepped side by side. The worker drives it tick by tick;
 * `runExperiment` folds it headless. The cpu engine's form is core/fused/fused-experiment.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from './config';
import { getAlgorithm } from './algorithms/registry';
import { TfjsProblem } from './engines/tfjs/problem';
import { tensorsOf } from './engines/tfjs/vector-ops';
import { Experiment as FoldExperiment, foldExperiment } from './fold/experiment';
import type { ExperimentResult, RunOptions } from './fold/result';
import type { Run } from './fold/run';
import type { Objective, Params } from './types';

export { BatchSchedule } from './fold/schedule';
export { finishRunResult, type ExperimentResult, type RunOptions, type RunResult } from './fold/result';

export interface LossTensors {
  train: tf.Scalar;
  test: tf.Scalar | null;
}

export class Experiment extends FoldExperiment {
  declare readonly problem: TfjsProblem;

  constructor(config: ExperimentConfig) {
    super(config, TfjsProblem.build(config), getAlgorithm);
  }

  /** The tfjs Objective step `t` minimises: the full training set or that step's mini-batch. */
  objectiveAt(t: number): { obj: Objective; dispose: () => void } {
    return this.problem.objectiveOn(this.rowsAt(t));
  }

  /** f(θ) on the training set (and test set) for one run, as tensors the caller reads and disposes. */
  evaluate(run: Run): LossTensors {
    return this.problem.lossTensors(run.theta, true);
  }
}

/** A tfjs run's θ as its parameter tensors ([W1, b1, …] or [W, H]; owned by the run). */
export const paramsOf = (run: Run): Params => tensorsOf(run.theta);

/** A tfjs run's state as a tensor container (its Vecs are tensor lists; owned by the run). */
export const tfjsState = (run: Run): tf.TensorContainer => run.state as unknown as tf.TensorContainer;

/**
 * Runs a whole experiment headless and synchronously on the current tfjs backend. Each run is timed on
 * its own (its steps plus the evaluation of f after each step), so steps/s compare algorithms fairly.
 */
export function runExperiment(config: ExperimentConfig, opts: RunOptions = {}): ExperimentResult {
  return foldExperiment(new Experiment(config), tf.getBackend(), opts);
}
