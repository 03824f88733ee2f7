/**
 * A 2-D test function (config problem kind 'function') on the cpu engine (core/engine/problem.ts):
 * θ₀ = the config's `start` (or the function's usual start), one parameter tensor θ = (x, y), no data
 * and no test set; f is exact float64 (problems/functions.ts). The tfjs engine does not run it.
 */
import type { ExperimentConfig, FunctionProblemConfig } from '../../config';
import type { EngineProblem, ParamTensor } from '../../engine/problem';
import type { Vec } from '../../engine/types';
import { functionOf, functionStart } from '../../problems/functions-config';
import { CpuFunctionObjective } from './function-objective';
import { cpuVec, cpuVectorOps } from './vector-ops';

export class CpuFunctionProblem implements EngineProblem {
  readonly engine = 'cpu';
  readonly kind = 'function' as const;
  readonly ops = cpuVectorOps;
  readonly nTrain = 1;
  readonly hasTest = false;
  readonly layout: ParamTensor[] = [{ name: 'θ', shape: [2], offset: 0, size: 2 }];
  readonly full: CpuFunctionObjective;
  private readonly start: Float32Array;

  constructor(p: FunctionProblemConfig) {
    this.full = new CpuFunctionObjective(functionOf(p));
    this.start = Float32Array.from(functionStart(p));
  }

  static build(config: Pick<ExperimentConfig, 'problem'>): CpuFunctionProblem {
    if (config.problem.kind !== 'function') throw new Error(`CpuFunctionProblem: not a function problem ('${config.problem.kind}')`);
    return new CpuFunctionProblem(config.problem);
  }

  batch(): never {
    throw new Error('2-D function problems have no mini-batches');
  }

  theta0(): Vec {
    return cpuVec(this.start.slice());
  }

  /** f(θ) rounded to float32, as every engine reports its losses (above 3.4e38 it is +∞: the run stops). */
  losses(theta: Vec): { train: number; test: number } {
    return { train: Math.fround(this.full.value(theta)), test: NaN };
  }

  releaseReplaced(): void {}

  dispose(): void {}
}
