/**
 * MLP experiments on the cpu engine: the engine-generic fold (core/fold/) over the cpu engine's MLP
 * problem (engines/cpu/mlp-problem.ts) — same runs, initial parameters, mini-batch order, switch and
 * divergence semantics and ExperimentResult as on tfjs — for the algorithms of ./algorithms.ts.
 *
 * `canFuse(config)` says whether a config can run here; `runFusedExperiment` is the headless fold
 * (the CLI's `--backend js`); `FusedExperiment` is the steppable form for a live session.
 */
import type { ExperimentConfig } from '../config';
import { CpuMLPProblem } from '../engines/cpu/mlp-problem';
import { Experiment, foldExperiment, type StepOptions } from '../fold/experiment';
import type { ExperimentResult, RunOptions } from '../fold/result';
import { FUSED_SCOPE, fusedAlgorithm, isFusedAlgorithm } from './algorithms';
import type { FusedOptions } from './problem';

/** The name the fused engine reports as `backend`. */
export const FUSED_BACKEND = 'js-fused';

/** True when the problem is an MLP and every run, and every scheduled switch, uses a fused algorithm (./algorithms.ts). */
export function canFuse(config: ExperimentConfig): boolean {
  return (
    config.problem.kind === 'mlp' &&
    config.runs.every((r) => isFusedAlgorithm(r.algorithm) && r.switches.every((s) => isFusedAlgorithm(s.algorithm)))
  );
}

/** Step options of the fold (core/fold/experiment.ts). */
export type FusedStepOptions = StepOptions;

/** An MLP experiment on the cpu engine: the engine-generic fold over a CpuMLPProblem. */
export class FusedExperiment extends Experiment {
  declare readonly problem: CpuMLPProblem;

  constructor(config: ExperimentConfig, opts: FusedOptions = {}) {
    if (!canFuse(config)) throw new Error(`the fused engine runs ${FUSED_SCOPE} only`);
    super(config, CpuMLPProblem.build(config, opts), fusedAlgorithm);
  }
}

/** runExperiment on the cpu engine: the same ExperimentResult, with backend 'js-fused'. */
export function runFusedExperiment(config: ExperimentConfig, opts: RunOptions & FusedOptions = {}): ExperimentResult {
  return foldExperiment(new FusedExperiment(config, opts), FUSED_BACKEND, opts);
}
