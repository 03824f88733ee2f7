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
import { CpuCNNProblem } from '../engines/cpu/cnn-problem';
import { Experiment, foldExperiment, type StepOptions } from '../fold/experiment';
import type { ExperimentResult, RunOptions } from '../fold/result';
import { canFuse, FUSED_BACKEND, FUSED_SCOPE, fusedAlgorithm } from './algorithms';
import { CpuNMFProblem } from '../engines/cpu/nmf-problem';
import { CpuFunctionProblem } from '../engines/cpu/function-problem';
import type { NMFWorkspaceOptions } from './nmf-engine';
import type { FusedOptions } from './problem';

export { canFuse, FUSED_BACKEND } from './algorithms';

/** Step options of the fold (core/fold/experiment.ts). */
export type FusedStepOptions = StepOptions;

/**
 * An experiment on the cpu engine: the engine-generic fold over a CpuMLPProblem or a CpuNMFProblem
 * (`opts.threads`/`spawn`: kernel threads for NMF). `dispose()` stops an NMF problem's kernel threads.
 */
export class FusedExperiment extends Experiment {
  declare readonly problem: CpuMLPProblem | CpuCNNProblem | CpuNMFProblem | CpuFunctionProblem;

  constructor(config: ExperimentConfig, opts: FusedOptions & NMFWorkspaceOptions = {}) {
    if (!canFuse(config)) throw new Error(`the fused engine runs ${FUSED_SCOPE} only`);
    const kind = config.problem.kind;
    const cnn = config.problem.kind === 'mlp' && !!config.problem.conv;
    super(config, kind === 'nmf' ? CpuNMFProblem.build(config, opts) : kind === 'function' ? CpuFunctionProblem.build(config) : cnn ? CpuCNNProblem.build(config) : CpuMLPProblem.build(config, opts), fusedAlgorithm);
  }
}

/** runExperiment on the cpu engine: the same ExperimentResult, with backend 'js-fused'. */
export function runFusedExperiment(config: ExperimentConfig, opts: RunOptions & FusedOptions = {}): ExperimentResult {
  return foldExperiment(new FusedExperiment(config, opts), FUSED_BACKEND, opts);
}
