/**
 * A β-NMF problem on the cpu engine (core/engine/problem.ts): the same V and initial (W, H) as the tfjs
 * problem (problems/nmf.ts), one NMFWorkspace and one CpuNMFObjective shared by all runs, θ = [W; H] as
 * one Float32Array. A run's replaced θ is released to the objective (its array backs a later θ), so
 * stepping allocates nothing. `close()` stops the workspace's kernel threads, if any.
 */
import type { ExperimentConfig, NMFProblemConfig } from '../../config';
import type { EngineProblem, ParamTensor } from '../../engine/problem';
import type { Vec } from '../../engine/types';
import { NMFWorkspace, type NMFWorkspaceOptions } from '../../fused/nmf-engine';
import { NO_PENALTY, type NMFPenalty } from '../../engine/nmf-ops';
import { nmfData, nmfPenalty, randomNMFInit } from '../../problems/nmf-data';
import { CpuNMFObjective } from './nmf-objective';
import { cpuVec, cpuVectorOps } from './vector-ops';

export class CpuNMFProblem implements EngineProblem {
  readonly engine = 'cpu';
  readonly kind = 'nmf' as const;
  readonly ops = cpuVectorOps;
  readonly hasTest = false;
  readonly full: CpuNMFObjective;
  readonly layout: ParamTensor[];
  private readonly theta0Array: Float32Array;

  constructor(
    readonly workspace: NMFWorkspace,
    readonly beta: number,
    W0: number[][],
    H0: number[][],
    penalty: NMFPenalty = NO_PENALTY,
  ) {
    const { m, n, K } = workspace;
    if (W0.length !== m || W0[0].length !== K || H0.length !== K || H0[0].length !== n) throw new Error(`NMF init: W0 must be ${m}×${K} and H0 ${K}×${n}`);
    this.full = new CpuNMFObjective(workspace, beta, penalty);
    this.layout = [
      { name: 'W', shape: [m, K], offset: 0, size: m * K },
      { name: 'H', shape: [K, n], offset: m * K, size: K * n },
    ];
    this.theta0Array = Float32Array.from([...W0.flat(), ...H0.flat()]);
  }

  static build(config: Pick<ExperimentConfig, 'problem' | 'seeds'>, opts: NMFWorkspaceOptions = {}): CpuNMFProblem {
    const p = config.problem as NMFProblemConfig;
    const V = nmfData(p, config.seeds.data);
    const { W0, H0 } = p.init ?? randomNMFInit(V, p.rank, config.seeds.init);
    const workspace = new NMFWorkspace(Float32Array.from(V.flat()), { m: V.length, n: V[0].length, K: p.rank }, opts);
    return new CpuNMFProblem(workspace, p.beta, W0, H0, nmfPenalty(p));
  }

  /** Columns of V (the tfjs problem's nTrain). */
  get nTrain(): number {
    return this.workspace.n;
  }

  batch(): never {
    throw new Error('NMF problems have no mini-batches');
  }

  theta0(): Vec {
    return cpuVec(this.theta0Array.slice());
  }

  losses(theta: Vec): { train: number; test: number } {
    return { train: this.full.value(theta), test: NaN };
  }

  /** A θ the run replaced is nobody's any more: its array backs a later θ (states hold no θ). */
  releaseReplaced(old: unknown, next: unknown): void {
    if (old instanceof Float32Array && old !== next) this.full.release(cpuVec(old));
  }

  close(): void {
    this.workspace.close();
  }

  dispose(): void {
    this.close();
  }
}
