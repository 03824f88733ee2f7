/**
 * `trajectory` for 2-D function problems (config kind 'function'): θ₀ then θ after every step of each
 * run, as [x, y] pairs — the same points whose f the run's `losses` hold (index k: θₖ, f(θₖ)). Read
 * from the fold's runs as they step, so recording costs no extra evaluation and the numbers are the
 * run's own.
 */
import type { ExperimentConfig } from '../core/config';
import { foldExperiment } from '../core/fold/experiment';
import type { ExperimentResult, RunOptions } from '../core/fold/result';
import { FUSED_BACKEND, FusedExperiment } from '../core/fused';

export type Pair = [number, number];

/** θ as an [x, y] pair (non-finite entries become null in JSON, as a non-finite loss does). */
export const pair = (theta: ArrayLike<number>): Pair => [theta[0], theta[1]];

export const hasTrajectory = (config: ExperimentConfig): boolean => config.problem.kind === 'function';

/** runFusedExperiment for a function problem, each run's result with its `trajectory`. */
export function runWithTrajectory(config: ExperimentConfig, opts: RunOptions): ExperimentResult {
  const exp = new FusedExperiment(config);
  const paths: Pair[][] = exp.runs.map((r) => [pair(r.thetaArray())]);
  const result = foldExperiment(exp, FUSED_BACKEND, {
    ...opts,
    onStep: (t) => {
      exp.runs.forEach((r, i) => {
        if (paths[i].length <= r.t) paths[i].push(pair(r.thetaArray()));
      });
      opts.onStep?.(t);
    },
  });
  // With evalEvery k > 1 the path is kept where f is (lossSteps), as `--every` thins it.
  return { ...result, runs: result.runs.map((r, i) => ({ ...r, trajectory: r.lossSteps ? r.lossSteps.map((t) => paths[i][t]) : paths[i] })) };
}
