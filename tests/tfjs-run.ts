// Tests' shorthand for a fold Run on the tfjs engine over a tfjs Problem (problems/*.ts).
import { getAlgorithm } from '../src/core/algorithms/registry';
import { tfjsObjective } from '../src/core/engines/tfjs/objective';
import { TfjsProblem } from '../src/core/engines/tfjs/problem';
import { tensorsOf, tfjsVec } from '../src/core/engines/tfjs/vector-ops';
import { Run } from '../src/core/fold/run';
import type { Objective, Params, Problem } from '../src/core/types';

/** A run of `algorithm` from `params` (default the problem's θ₀) on `problem` (the run's problem disposes it). */
export function tfjsRun(id: string, algorithm: string, hyper: Record<string, unknown>, problem: Problem, params?: Params): Run {
  return new Run(id, algorithm, hyper, new TfjsProblem(problem), getAlgorithm, params ? tfjsVec(params) : undefined);
}

/** The engine-interface form of a tfjs objective, for Run.step. */
export const ops = (obj: Objective, run: Run) => tfjsObjective(obj, run.problem.layout.length);

/** A tfjs run's parameter tensors (owned by the run). */
export const paramsOf = (run: Run): Params => tensorsOf(run.theta);
